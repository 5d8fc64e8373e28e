import { describeChannelConformance, type InjectedFailure } from "@nudge/core/testkit";
import { armedSandbox, KOREAN, person, smsChannel } from "./harness.js";

const ALL: InjectedFailure[] = ["permanent", "transient", "rate_limited", "unreachable"];

describeChannelConformance(
  "sms via the sandbox provider",
  async () => {
    const sandbox = armedSandbox();
    const started = await smsChannel({ providers: ["sandbox"] }, { providers: [sandbox.plugin] });
    return {
      channel: started.channel,
      validContent: { text: "주문하신 상품이 출발했습니다." },
      // Fails the schema (an empty text) and, for the byte rules, prepare(): both name the field.
      invalidContent: { content: { text: "" }, path: "text" },
      reachable: person(KOREAN),
      // Outside Korea with no `international` provider: no address on this channel.
      unreachable: person("+14155550100"),
      fake: { accepted: () => started.outbox.list().length, failNext: sandbox.failNext },
      close: () => started.close(),
    };
  },
  ALL,
);

describeChannelConformance(
  "sms via the sandbox provider (outside Korea)",
  async () => {
    const sandbox = armedSandbox();
    const started = await smsChannel({ providers: ["sandbox"], international: ["sandbox"] }, { providers: [sandbox.plugin] });
    return {
      channel: started.channel,
      validContent: { text: "Your order has shipped." },
      invalidContent: { content: { text: "" }, path: "text" },
      reachable: person("+14155550100"),
      unreachable: person("not a number"),
      fake: { accepted: () => started.outbox.list().length, failNext: sandbox.failNext },
      close: () => started.close(),
    };
  },
  ALL,
);
