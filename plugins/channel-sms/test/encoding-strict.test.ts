import { describe, expect, it } from "vitest";
import { z } from "zod";
import { definePlugin, Tokens, ValidationError, type PluginSpec } from "@nudge/core";
import { sendContext } from "@nudge/core/testkit";
import { eucKrByteLength, unencodableCharacters } from "../src/encoding.js";
import { planKoreanMessage } from "../src/message-plan.js";
import type { SmsProvider } from "../src/provider.js";
import { person, smsChannel } from "./harness.js";

const opts = { images: { max: 3, maxBytes: 300 * 1024 }, marketing: false, provider: "nhncloud" };

function issues(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e.issues;
    throw e;
  }
  throw new Error("expected a ValidationError");
}

/** An sms provider that documents CP949 (none of the bundled ones does), recording what it was sent. */
function cp949Provider(sent: string[]): PluginSpec {
  const plugin = definePlugin({
    id: "cp949-vendor",
    kind: "provider",
    channel: "sms",
    configSchema: z.object({}),
    register(ctx) {
      const provider: SmsProvider = {
        id: "cp949-vendor",
        channel: "sms",
        idempotency: "none",
        encoding: "cp949",
        send: async (call) => {
          sent.push(call.payload.text);
          return { providerMessageId: `m${sent.length}`, status: "sent" };
        },
      };
      ctx.registerInstance(Tokens.Provider, provider);
    },
  });
  return plugin({}) as PluginSpec;
}

describe("strict EUC-KR (KS X 1001) by default, CP949 where the provider documents it", () => {
  it("refuses CP949-only syllables (똠 8C63, 햏 C164, 힣 C652) in strict EUC-KR, naming each", () => {
    expect(unencodableCharacters("똠방각하 햏 힣").map((c) => c.char)).toEqual(["똠", "햏", "힣"]);
    const found = issues(() => planKoreanMessage({ text: "오늘의 똠얌꿍" }, opts));
    expect(found).toEqual([{ path: "text", message: expect.stringContaining('character "똠" (HANGUL SYLLABLE DDOM, U+B620) at index 4 cannot be encoded in EUC-KR (KS X 1001)') }]);
    expect(issues(() => planKoreanMessage({ text: "본문", title: "햏 공지" }, opts))).toEqual([{ path: "title", message: expect.stringContaining('"햏"') }]);
  });

  it("accepts what KS X 1001 has: 가 (B0A1), symbols such as ①, ×, 「 and compatibility jamo ㄱ", () => {
    expect(unencodableCharacters("가나다 ① × 「ㄱ」 abc")).toEqual([]);
    expect(planKoreanMessage({ text: "가①×ㄱ" }, opts)).toMatchObject({ type: "SMS", bytes: 8 });
  });

  it("accepts them when the provider documents CP949, counting two bytes each", () => {
    expect(unencodableCharacters("똠 햏 힣", "cp949")).toEqual([]);
    expect(eucKrByteLength("똠햏힣")).toBe(6);
    expect(planKoreanMessage({ text: "오늘의 똠얌꿍" }, { ...opts, encoding: "cp949" })).toMatchObject({ type: "SMS", bytes: 13 });
    // Emoji are in neither code page.
    expect(issues(() => planKoreanMessage({ text: "똠 😀" }, { ...opts, encoding: "cp949" }))).toEqual([{ path: "text", message: expect.stringContaining("cannot be encoded in CP949") }]);
  });

  it("the channel refuses 똠 through the sandbox (no declaration: strict) and sends it through a CP949 provider", async () => {
    const p = person("+821012345678");
    const strict = await smsChannel();
    expect(() => strict.channel.prepare!({ text: "똠얌꿍 세일" }, sendContext(p))).toThrow(/EUC-KR \(KS X 1001\)/);
    await strict.close();

    const sent: string[] = [];
    const lenient = await smsChannel({ providers: ["cp949-vendor"] }, { providers: [cp949Provider(sent)] });
    await lenient.channel.send({ to: "+821012345678", content: { text: "똠얌꿍 세일" }, context: sendContext(p, { channel: "sms" }) });
    expect(sent).toEqual(["똠얌꿍 세일"]);
    await lenient.close();

    // Failing over to a provider that documents EUC-KR is possible, so a mixed list stays strict.
    const mixed = await smsChannel({ providers: ["cp949-vendor", "sandbox"] }, { providers: [cp949Provider([])] });
    expect(() => mixed.channel.prepare!({ text: "똠" }, sendContext(p))).toThrow(ValidationError);
    await mixed.close();
  });
});
