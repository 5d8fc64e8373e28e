import { describeChannelConformance } from "@nudge/core/testkit";
import { sandboxHarness, vendorHarness } from "./support/push-harness.js";

describeChannelConformance("push on the sandbox provider", sandboxHarness, ["permanent", "unreachable", "transient", "rate_limited"]);
describeChannelConformance("push via the fcm provider (Android device)", vendorHarness("fcm"));
describeChannelConformance("push via the apns provider (iOS device)", vendorHarness("apns"));
describeChannelConformance("push via the webpush provider (browser)", vendorHarness("webpush"));
