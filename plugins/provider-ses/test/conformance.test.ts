import { describeProviderConformance } from "@nudge/core/testkit";
import { sesHarness } from "./support/harness.js";

describeProviderConformance("ses (SMTP interface over STARTTLS, SNS feedback)", sesHarness);
