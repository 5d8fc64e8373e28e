import { describeProviderConformance, sendContext } from "@nudge/core/testkit";
import type { KakaoPayload } from "@nudge/channel-kakao";
import { SOLAPI, solapiKakaoFake } from "./solapi-kakao.fake.js";
import { defaultNow, jsonRequest, nowhere, person, solapiProvider, TEXT } from "./harness.js";

const friend = person("+821012345678", true);

describeProviderConformance<KakaoPayload>("solapi (kakao: BMS_FREE, ATA)", async () => {
  const f = solapiKakaoFake(() => defaultNow);
  const provider = await solapiProvider(await f.fake.start());
  return {
    provider,
    channel: "kakao",
    call: (ids) => ({ to: "+821012345678", payload: { ...TEXT, targeting: "I" }, messageType: "BMS_TEXT", context: { ...sendContext(friend, { channel: "kakao" }), ...ids } }),
    fake: { accepted: f.accepted, contractViolations: f.contractViolations, failNext: f.failNext },
    refused: async () => solapiProvider(await nowhere()),
    webhook: {
      delivered: (id) => jsonRequest([{ messageId: id, groupId: "G", statusCode: "4000", statusMessage: "성공", to: "01012345678", type: "BMS_FREE", dateReceived: "2026-03-02T01:00:04.000Z" }], {}, { token: SOLAPI.token }),
      tampered: (id) => jsonRequest([{ messageId: id, statusCode: "4000" }], {}, { token: "kakao-hook-tokeN" }),
    },
    failures: ["permanent", "unreachable", "transient", "rate_limited"],
    close: () => f.fake.close(),
  };
});
