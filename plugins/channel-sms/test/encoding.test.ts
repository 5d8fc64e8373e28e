import { describe, expect, it } from "vitest";
import { ValidationError } from "@nudge/core";
import { eucKrByteLength, unencodableCharacters } from "../src/encoding.js";
import { planKoreanMessage } from "../src/message-plan.js";
import { person, smsChannel } from "./harness.js";
import { sendContext } from "@nudge/core/testkit";

const opts = { images: { max: 3, maxBytes: 300 * 1024 }, marketing: false, provider: "nhncloud" };
const hangul = (n: number) => "가".repeat(n);

function issues(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e.issues;
    throw e;
  }
  throw new Error("expected a ValidationError");
}

describe("EUC-KR byte counting", () => {
  it("counts Hangul as two bytes and ASCII as one", () => {
    expect(eucKrByteLength("가나다")).toBe(6);
    expect(eucKrByteLength("abc")).toBe(3);
    expect(eucKrByteLength("주문 ok")).toBe(7);
  });

  it("sends 45 Korean characters as SMS and 46 as LMS", () => {
    expect(planKoreanMessage({ text: hangul(45) }, opts)).toMatchObject({ type: "SMS", bytes: 90 });
    expect(planKoreanMessage({ text: hangul(46) }, opts)).toMatchObject({ type: "LMS", bytes: 92 });
  });

  it("sends 90 ASCII characters as SMS and 91 as LMS", () => {
    expect(planKoreanMessage({ text: "a".repeat(90) }, opts).type).toBe("SMS");
    expect(planKoreanMessage({ text: "a".repeat(91) }, opts).type).toBe("LMS");
  });

  it("rejects a 2,001-byte body with the byte count", () => {
    const found = issues(() => planKoreanMessage({ text: `${hangul(1000)}a` }, opts));
    expect(found).toEqual([{ path: "text", message: expect.stringContaining("2,001 bytes in EUC-KR") }]);
    expect(found[0]!.message).toContain("at most 2,000");
    expect(planKoreanMessage({ text: hangul(1000) }, opts)).toMatchObject({ type: "LMS", bytes: 2000 });
  });

  it("reports an emoji by its Unicode name", () => {
    const found = issues(() => planKoreanMessage({ text: "세일 시작 😀" }, opts));
    expect(found[0]!.path).toBe("text");
    expect(found[0]!.message).toContain("GRINNING FACE");
    expect(found[0]!.message).toContain("U+1F600");
    expect(unencodableCharacters("a👍🏽b")).toMatchObject([{ char: "👍🏽", index: 1 }]);
    expect(unencodableCharacters("한글과 ASCII? 그리고 ①")).toEqual([]);
  });

  it("caps titles at 40 bytes and needs a JPEG under the provider's size for MMS", () => {
    expect(issues(() => planKoreanMessage({ text: "본문", title: hangul(21) }, opts))[0]).toMatchObject({ path: "title", message: expect.stringContaining("42 bytes") });
    const mms = { text: "사진", images: [{ ref: "f1", name: "a.jpg", sizeBytes: 400 * 1024 }] };
    expect(issues(() => planKoreanMessage(mms, opts))[0]).toMatchObject({ path: "images[0].sizeBytes" });
    expect(planKoreanMessage({ ...mms, images: [{ ref: "f1", name: "a.jpg", sizeBytes: 1000 }] }, opts).type).toBe("MMS");
  });

  it("checks the ad format of marketing messages", () => {
    const found = issues(() => planKoreanMessage({ text: "봄 세일 30%" }, { ...opts, marketing: true }));
    expect(found.map((i) => i.message).join(" ")).toContain("(광고)");
    expect(planKoreanMessage({ text: "(광고)아크미\n봄 세일 30%\n무료수신거부 080-123-4567" }, { ...opts, marketing: true }).type).toBe("SMS");
  });

  it("prepare() names the type and the price", async () => {
    const { channel } = await smsChannel();
    const p = person("+821012345678");
    expect(channel.prepare!({ text: hangul(45) }, sendContext(p))).toEqual({ messageType: "SMS", cost: { amount: 10, currency: "KRW" } });
    expect(channel.prepare!({ text: hangul(46) }, sendContext(p))).toEqual({ messageType: "LMS", cost: { amount: 30, currency: "KRW" } });
  });
});
