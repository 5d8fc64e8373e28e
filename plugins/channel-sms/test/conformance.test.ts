import { describeChannelConformance, type InjectedFailure } from "@nudge/core/testkit";
import { NHN, nhnSmsFake } from "./nhn-sms.fake.js";
import { SOLAPI, solapiFake } from "./solapi.fake.js";
import { twilioFake } from "./twilio.fake.js";
import { jsonRequest, nhnConfig, nhnResultHook, person, smsChannel, solapiConfig, twilioCallback, twilioConfig } from "./harness.js";

const ALL: InjectedFailure[] = ["permanent", "transient", "rate_limited", "unreachable"];
const KOREAN = "+821012345678";
const valid = { text: "주문하신 상품이 출발했습니다." };
const invalid = { content: { text: "" }, path: "text" };

describeChannelConformance("sms via NHN Cloud", async () => {
  const f = nhnSmsFake();
  const channel = smsChannel({ provider: nhnConfig(await f.fake.start()) });
  return {
    channel,
    validContent: valid,
    invalidContent: invalid,
    reachable: person(KOREAN),
    unreachable: person(undefined),
    // NHN's SMS v3.0 API takes no idempotency key, so the harness offers none.
    fake: { accepted: f.accepted, failNext: f.failNext },
    webhook: {
      delivered: (id) => jsonRequest(nhnResultHook(id), { "x-toast-webhook-signature": NHN.signature }),
      tampered: (id) => jsonRequest(nhnResultHook(id), { "x-toast-webhook-signature": `${NHN.signature}x` }),
    },
    close: () => f.fake.close(),
  };
}, ALL);

describeChannelConformance("sms via Solapi", async () => {
  const f = solapiFake();
  const channel = smsChannel({ provider: solapiConfig(await f.fake.start()) });
  return {
    channel,
    validContent: valid,
    invalidContent: invalid,
    reachable: person(KOREAN),
    unreachable: person(undefined),
    fake: { accepted: f.accepted, failNext: f.failNext, lastIdempotencyKey: f.lastKey },
    webhook: {
      delivered: (id) => jsonRequest([{ messageId: id, groupId: "G", statusCode: "4000", statusMessage: "수신 완료", to: "01012345678", from: "15880000", type: "SMS", dateReceived: "2026-03-02T01:00:05.000Z" }], {}, { token: SOLAPI.token }),
      tampered: (id) => jsonRequest([{ messageId: id, statusCode: "4000" }], {}, { token: "guess" }),
    },
    close: () => f.fake.close(),
  };
}, ALL);

describeChannelConformance("sms via Twilio (outside Korea)", async () => {
  const f = twilioFake();
  const channel = smsChannel({ provider: { type: "sandbox" }, twilio: twilioConfig(await f.fake.start()) });
  return {
    channel,
    validContent: { text: "Your order has shipped." },
    invalidContent: invalid,
    reachable: person("+14155550100"),
    unreachable: person("not a number"),
    fake: { accepted: f.accepted, failNext: f.failNext },
    webhook: { delivered: (id) => twilioCallback(id), tampered: (id) => twilioCallback(id, "delivered", "wrong-token") },
    close: () => f.fake.close(),
  };
}, ALL);
