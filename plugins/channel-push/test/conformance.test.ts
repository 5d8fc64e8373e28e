import { describeChannelConformance } from "@nudge/core/testkit";
import { pushHarness } from "./support/push-harness.js";

describeChannelConformance("push via FCM HTTP v1 (Android device)", pushHarness("fcm"));
describeChannelConformance("push via APNs HTTP/2 (iOS device)", pushHarness("apns"));
describeChannelConformance("push via Web Push + VAPID (browser)", pushHarness("webpush"));
