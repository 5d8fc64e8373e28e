import { describeProviderConformance } from "@nudge/core/testkit";
import { twilioFake } from "./twilio.fake.js";
import { closedUrl, intlCall, twilioCallback, twilioProvider } from "./harness.js";

describeProviderConformance("twilio (sms)", async () => {
  const f = twilioFake();
  const provider = await twilioProvider(await f.fake.start());
  return {
    provider,
    channel: "sms",
    call: (ids) => intlCall(ids),
    fake: { accepted: f.accepted, contractViolations: () => f.fake.problems, failNext: f.failNext },
    refused: async () => twilioProvider(await closedUrl()),
    webhook: { delivered: (id) => twilioCallback(id), tampered: (id) => twilioCallback(id, "delivered", "wrong-token") },
    // 21408 region not enabled, 21211 invalid 'To', HTTP 503, 20429/HTTP 429 (https://www.twilio.com/docs/api/errors).
    failures: ["permanent", "unreachable", "transient", "rate_limited"],
    close: () => f.fake.close(),
  };
});
