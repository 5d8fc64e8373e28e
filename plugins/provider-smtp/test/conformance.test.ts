import { describeProviderConformance } from "@nudge/core/testkit";
import { smtpHarness } from "./support/harness.js";

describeProviderConformance("smtp (real smtp-server, Postfix-style replies)", smtpHarness);
