import { describeProviderConformance } from "@nudge/core/testkit";
import type { SmsPayload } from "@nudge/channel-sms";
import { aligoFake } from "./aligo.fake.js";
import { aligoProvider, closedUrl, smsCall } from "./harness.js";

describeProviderConformance<SmsPayload>("aligo (sms)", async () => {
  const f = aligoFake();
  const provider = await aligoProvider(await f.fake.start());
  return {
    provider,
    channel: "sms",
    call: (ids) => smsCall(ids),
    fake: { accepted: f.accepted, contractViolations: () => f.fake.problems, failNext: f.failNext },
    refused: async () => aligoProvider(await closedUrl()),
    // Aligo sends no delivery webhooks: what became of a message is polled from /sms_list/ (the kit polls it).
    // All four failures are injected; "rate_limited" is an HTTP 429 Aligo does not document (see aligo.fake.ts).
    failures: ["permanent", "unreachable", "transient", "rate_limited"],
    close: () => f.fake.close(),
  };
});
