import { describeProviderConformance } from "@nudge/core/testkit";
import { solapiFake } from "./solapi.fake.js";
import { clock, closedUrl, smsCall, solapiProvider, solapiReport } from "./harness.js";

describeProviderConformance("solapi (sms)", async () => {
  const f = solapiFake(() => clock.now());
  const provider = await solapiProvider(await f.fake.start());
  return {
    provider,
    channel: "sms",
    call: (ids) => smsCall(ids),
    fake: { accepted: f.accepted, contractViolations: () => f.fake.problems, failNext: f.failNext, lastIdempotencyKey: f.lastKey },
    refused: async () => solapiProvider(await closedUrl()),
    webhook: {
      delivered: (id) => solapiReport(id, "4000"),
      tampered: (id) => solapiReport(id, "4000", { token: "guess" }),
    },
    // 1062 refused sender, 1060 blocked recipient, HTTP 500 InternalError, 429 TooManyRequests.
    failures: ["permanent", "unreachable", "transient", "rate_limited"],
    close: () => f.fake.close(),
  };
});
