import { describeChannelConformance, type InjectedFailure } from "@nudge/core/testkit";
import { NHN, nhnKakaoFake } from "./nhn-kakao.fake.js";
import { SOLAPI, solapiKakaoFake } from "./solapi-kakao.fake.js";
import { jsonRequest, kakaoChannel, nhnProvider, nhnResultHook, person, solapiProvider, TEXT } from "./harness.js";

const ALL: InjectedFailure[] = ["permanent", "transient", "rate_limited", "unreachable"];
const invalid = { content: { kind: "brand", chatBubbleType: "WIDE", content: "가".repeat(77), image: { url: "https://cdn.example.com/w.jpg" } }, path: "content" };

describeChannelConformance("kakao via NHN Cloud", async () => {
  const f = nhnKakaoFake();
  const channel = kakaoChannel({ provider: nhnProvider(await f.fake.start()) });
  return {
    channel,
    validContent: TEXT,
    invalidContent: invalid,
    reachable: person("+821012345678", true),
    unreachable: person(undefined),
    fake: { accepted: f.accepted, failNext: f.failNext, lastIdempotencyKey: f.lastKey },
    webhook: {
      delivered: (id) => jsonRequest(nhnResultHook(id), { "x-toast-webhook-signature": NHN.signature }),
      tampered: (id) => jsonRequest(nhnResultHook(id), { "x-toast-webhook-signature": "kakao-hook-signaturf" }),
    },
    close: () => f.fake.close(),
  };
}, ALL);

describeChannelConformance("kakao via Solapi", async () => {
  const f = solapiKakaoFake();
  const channel = kakaoChannel({ provider: solapiProvider(await f.fake.start()) });
  return {
    channel,
    validContent: TEXT,
    invalidContent: invalid,
    reachable: person("+821012345678", true),
    unreachable: person("+14155550100"),
    fake: { accepted: f.accepted, failNext: f.failNext, lastIdempotencyKey: f.lastKey },
    webhook: {
      delivered: (id) => jsonRequest([{ messageId: id, groupId: "G", statusCode: "4000", statusMessage: "성공", to: "01012345678", type: "BMS_FREE", dateReceived: "2026-03-02T01:00:04.000Z" }], {}, { token: SOLAPI.token }),
      tampered: (id) => jsonRequest([{ messageId: id, statusCode: "4000" }], {}, { token: "kakao-hook-tokeN" }),
    },
    close: () => f.fake.close(),
  };
}, ALL);
