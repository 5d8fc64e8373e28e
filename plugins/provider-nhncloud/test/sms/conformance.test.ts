import { describeProviderConformance } from "@nudge/core/testkit";
import { NHN, nhnSmsFake } from "./nhn-sms.fake.js";
import { closedUrl, jsonRequest, nhnProvider, nhnResultHook, smsCall } from "./harness.js";

describeProviderConformance("nhncloud (sms)", async () => {
  const f = nhnSmsFake();
  const provider = await nhnProvider(await f.fake.start());
  return {
    provider,
    channel: "sms",
    call: (ids) => smsCall(ids),
    fake: { accepted: f.accepted, contractViolations: () => f.fake.problems, failNext: f.failNext },
    refused: async () => nhnProvider(await closedUrl()),
    webhook: {
      delivered: (id) => jsonRequest(nhnResultHook(id), { "x-toast-webhook-signature": NHN.signature }),
      tampered: (id) => jsonRequest(nhnResultHook(id), { "x-toast-webhook-signature": `${NHN.signature}x` }),
    },
    // The SMS v3.0 error-code page documents no throttling code (an HTTP 429 would come from a gateway; provider.test.ts covers it).
    failures: ["permanent", "unreachable", "transient"],
    close: () => f.fake.close(),
  };
});
