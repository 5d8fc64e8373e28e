import { describeProviderConformance, sendContext } from "@nudge/core/testkit";
import type { KakaoPayload } from "@nudge/channel-kakao";
import { NHN, nhnKakaoFake } from "./nhn-kakao.fake.js";
import { jsonRequest, nhnProvider, nhnResultHook, nowhere, person, TEXT } from "./harness.js";

const friend = person("+821012345678", true);

describeProviderConformance<KakaoPayload>("nhncloud (kakao: Brand Message, AlimTalk)", async () => {
  const f = nhnKakaoFake();
  const provider = await nhnProvider(await f.fake.start());
  return {
    provider,
    channel: "kakao",
    call: (ids) => ({ to: "+821012345678", payload: { ...TEXT, targeting: "I" }, messageType: "BMS_TEXT", context: { ...sendContext(friend, { channel: "kakao" }), ...ids } }),
    fake: { accepted: f.accepted, contractViolations: f.contractViolations, failNext: f.failNext, lastIdempotencyKey: f.lastKey },
    refused: async () => nhnProvider(await nowhere()),
    webhook: {
      delivered: (id) => jsonRequest(nhnResultHook(id), { "x-toast-webhook-signature": NHN.signature }),
      tampered: (id) => jsonRequest(nhnResultHook(id), { "x-toast-webhook-signature": "kakao-hook-signaturf" }),
    },
    failures: ["permanent", "unreachable", "transient", "rate_limited"],
    close: () => f.fake.close(),
  };
});
