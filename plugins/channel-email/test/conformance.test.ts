import { describeChannelConformance } from "@nudge/core/testkit";
import { emailHarness } from "./support/email-harness.js";

describeChannelConformance("email (SMTP + Amazon SES feedback)", emailHarness, ["permanent", "transient", "rate_limited"]);
