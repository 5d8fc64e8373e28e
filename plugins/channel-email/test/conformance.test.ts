import { describeChannelConformance } from "@nudge/core/testkit";
import { emailHarness } from "./support/email-harness.js";

// No injected failures: error classification is each provider's (describeProviderConformance in provider-smtp, provider-ses).
describeChannelConformance("email (sandbox provider)", emailHarness, []);
