import { describeChannelConformance, type InjectedFailure } from "@nudge/core/testkit";
import { jsonRequest, person, startKakao, TEXT } from "./harness.js";
import { scriptedKakao } from "./scripted-provider.js";

const ALL: InjectedFailure[] = ["permanent", "transient", "rate_limited", "unreachable"];
const invalid = { content: { kind: "brand", chatBubbleType: "WIDE", content: "가".repeat(77), image: { url: "https://cdn.example.com/w.jpg" } }, path: "content" };

// The default provider: every rule applies, sends land in the sandbox outbox (vendor contracts are tested with each provider plugin).
describeChannelConformance(
  "kakao via the sandbox",
  async () => {
    const { channel, outbox, close } = await startKakao();
    return {
      channel,
      validContent: TEXT,
      invalidContent: invalid,
      reachable: person("+821012345678", true),
      unreachable: person("+14155550100"),
      fake: { accepted: () => outbox.list().length, failNext: () => undefined, lastIdempotencyKey: () => outbox.list().at(-1)?.idempotencyKey },
      close,
    };
  },
  [],
);

// The channel's side of the provider contract: errors reach the dispatcher unchanged, webhooks go to the provider named in the URL.
describeChannelConformance(
  "kakao through a provider plugin",
  async () => {
    const p = scriptedKakao("scripted");
    const { channel, close } = await startKakao({ providers: ["scripted"] }, { providers: [p.spec] });
    return {
      channel,
      validContent: TEXT,
      invalidContent: invalid,
      reachable: person("+821012345678", true),
      unreachable: person(undefined),
      fake: { accepted: () => p.calls.length, failNext: p.failNext, lastIdempotencyKey: () => p.calls.at(-1)?.context.idempotencyKey },
      webhook: {
        delivered: (id) => jsonRequest({ id }, { "x-scripted": "ok" }),
        tampered: (id) => jsonRequest({ id }, { "x-scripted": "no" }),
      },
      close,
    };
  },
  ALL,
);
