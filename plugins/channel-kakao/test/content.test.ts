import { describe, expect, it } from "vitest";
import { ValidationError } from "@nudge/core";
import { KakaoContent } from "../src/content/kakao-content.js";
import { friendtalkToBrandMessage, Friendtalk } from "../src/content/friendtalk.js";
import { startKakao } from "./harness.js";

const img = { url: "https://cdn.example.com/a.jpg" };
const issues = (v: unknown) => {
  const r = KakaoContent.safeParse(v);
  return r.success ? [] : ValidationError.fromZod("kakao content", r.error).issues;
};

describe("Brand Message content", () => {
  it("rejects a WIDE message of 77 characters, naming the field", () => {
    expect(issues({ kind: "brand", chatBubbleType: "WIDE", content: "가".repeat(76), image: img })).toEqual([]);
    expect(issues({ kind: "brand", chatBubbleType: "WIDE", content: "가".repeat(77), image: img })).toEqual([{ path: "content", message: "WIDE content holds at most 76 characters, got 77" }]);
  });

  it("allows 1,300 characters on TEXT and IMAGE, not 1,301", () => {
    expect(issues({ kind: "brand", chatBubbleType: "TEXT", content: "a".repeat(1300) })).toEqual([]);
    expect(issues({ kind: "brand", chatBubbleType: "IMAGE", content: "a".repeat(1301), image: img })[0]?.path).toBe("content");
  });

  it("counts buttons per bubble type, with and without a coupon", () => {
    const b = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `버튼${i}`, type: "WL", linkMo: "https://x.example.com" }));
    const coupon = { title: "10% 할인 쿠폰", description: "봄맞이 할인" };
    expect(issues({ kind: "brand", chatBubbleType: "TEXT", content: "hi", buttons: b(5) })).toEqual([]);
    expect(issues({ kind: "brand", chatBubbleType: "TEXT", content: "hi", buttons: b(5), coupon })[0]).toMatchObject({ path: "buttons", message: expect.stringContaining("at most 4 buttons with a coupon") });
    expect(issues({ kind: "brand", chatBubbleType: "WIDE", content: "hi", image: img, buttons: b(3) })[0]).toMatchObject({ path: "buttons" });
    expect(issues({ kind: "brand", chatBubbleType: "TEXT", content: "hi", buttons: [{ name: "열다섯글자가넘는버튼이름입니다", type: "WL", linkMo: "https://x.example.com" }] })[0]?.path).toBe("buttons[0].name");
  });

  it("allows the add-channel button only with targeting M or N, and checks coupon titles", () => {
    const ac = { kind: "brand", chatBubbleType: "TEXT", content: "hi", buttons: [{ name: "채널 추가", type: "AC" }] };
    expect(issues(ac)[0]).toMatchObject({ path: "buttons[0].type", message: expect.stringContaining("targeting M or N") });
    expect(issues({ ...ac, targeting: "M" })).toEqual([]);
    expect(issues({ kind: "brand", chatBubbleType: "TEXT", content: "hi", coupon: { title: "반값 쿠폰", description: "x" } })[0]?.path).toBe("coupon.title");
  });

  it("requires each bubble type's parts", () => {
    expect(issues({ kind: "brand", chatBubbleType: "WIDE_ITEM_LIST", header: "봄 특가" })).toEqual(expect.arrayContaining([expect.objectContaining({ path: "items" })]));
    expect(issues({ kind: "brand", chatBubbleType: "COMMERCE", image: img, commerce: { title: "운동화", regularPrice: 89000 } })[0]).toMatchObject({ path: "buttons" });
    const item = { header: "봄 신상", content: "새로 나온 운동화", image: img, buttons: [{ name: "구매", type: "WL", linkMo: "https://x.example.com" }] };
    expect(issues({ kind: "brand", chatBubbleType: "CAROUSEL_FEED", carousel: { list: [item] } })[0]).toMatchObject({ path: "carousel.list" });
    expect(issues({ kind: "brand", chatBubbleType: "CAROUSEL_FEED", carousel: { list: [item, item] } })).toEqual([]);
    expect(issues({ kind: "brand", chatBubbleType: "PREMIUM_VIDEO", video: { videoUrl: "https://tv.kakao.com/v/1" } })).toEqual([]);
  });

  it("allows five line breaks in WIDE and PREMIUM_VIDEO content (NHN's guide; Solapi's provider takes one), not six", () => {
    expect(issues({ kind: "brand", chatBubbleType: "WIDE", content: "a\nb\nc\nd\ne\nf", image: img })).toEqual([]);
    expect(issues({ kind: "brand", chatBubbleType: "WIDE", content: "a\nb\nc\nd\ne\nf\ng", image: img })).toEqual([{ path: "content", message: "WIDE content takes at most 5 line breaks" }]);
    expect(issues({ kind: "brand", chatBubbleType: "PREMIUM_VIDEO", content: "a\nb\nc\nd\ne\nf\ng", video: { videoUrl: "https://tv.kakao.com/v/1" } })[0]?.path).toBe("content");
    expect(issues({ kind: "brand", chatBubbleType: "PREMIUM_VIDEO", video: { videoUrl: "https://www.youtube.com/watch?v=1" } })[0]?.path).toBe("video.videoUrl");
  });

  it("wide list items: the first title optional, the others required, every item with linkMo", () => {
    const it3 = (first: Record<string, unknown>) => [first, ...[1, 2].map((i) => ({ title: `상품 ${i}`, image: img, linkMo: "https://x.example.com" }))];
    const list = (items: unknown[]) => issues({ kind: "brand", chatBubbleType: "WIDE_ITEM_LIST", header: "봄 특가", items });
    expect(list(it3({ image: img, linkMo: "https://x.example.com" }))).toEqual([]);
    expect(list(it3({ title: "대표", image: img }))).toEqual([expect.objectContaining({ path: "items[0].linkMo" })]);
    expect(list([{ image: img, linkMo: "https://x.example.com" }, { image: img, linkMo: "https://x.example.com" }, { title: "c", image: img, linkMo: "https://x.example.com" }])).toEqual([
      { path: "items[1].title", message: "items after the first need a title" },
    ]);
  });

  it("carousels: only CAROUSEL_COMMERCE has a head; feed cards need header and content, commerce cards commerce", () => {
    const button = { name: "구매", type: "WL", linkMo: "https://x.example.com" };
    const head = { header: "봄 세일", content: "이번 주만", image: img };
    const feedCard = { header: "봄 신상", content: "새로 나온 운동화", image: img, buttons: [button] };
    const commerceCard = { image: img, buttons: [button], commerce: { title: "운동화", regularPrice: 89000 } };
    expect(issues({ kind: "brand", chatBubbleType: "CAROUSEL_FEED", carousel: { head, list: [feedCard] } })).toEqual([expect.objectContaining({ path: "carousel.head" })]);
    expect(issues({ kind: "brand", chatBubbleType: "CAROUSEL_COMMERCE", carousel: { head, list: [commerceCard] } })).toEqual([]);
    expect(issues({ kind: "brand", chatBubbleType: "CAROUSEL_FEED", carousel: { list: [{ ...feedCard, header: undefined }, feedCard] } })).toEqual([
      { path: "carousel.list[0].header", message: "CAROUSEL_FEED items need a header" },
    ]);
    expect(issues({ kind: "brand", chatBubbleType: "CAROUSEL_COMMERCE", carousel: { list: [{ ...commerceCard, content: "x" }, commerceCard] } })).toEqual([
      { path: "carousel.list[0].content", message: "CAROUSEL_COMMERCE items take no content" },
    ]);
    expect(issues({ kind: "brand", chatBubbleType: "CAROUSEL_COMMERCE", carousel: { head: { ...head, linkPc: "https://x.example.com" }, list: [commerceCard] } })[0]?.path).toBe("carousel.head.linkMo");
  });

  it("takes a discount price only with exactly one of discountRate and discountFixed", () => {
    const commerce = (c: Record<string, unknown>) => issues({ kind: "brand", chatBubbleType: "COMMERCE", image: img, buttons: [{ name: "구매", type: "WL", linkMo: "https://x.example.com" }], commerce: { title: "운동화", regularPrice: 89000, ...c } });
    expect(commerce({})).toEqual([]);
    expect(commerce({ discountPrice: 69000, discountRate: 22 })).toEqual([]);
    expect(commerce({ discountPrice: 69000 })[0]?.path).toBe("commerce.discountPrice");
    expect(commerce({ discountPrice: 69000, discountRate: 22, discountFixed: 20000 })[0]?.path).toBe("commerce.discountPrice");
    expect(commerce({ discountRate: 22 })[0]?.path).toBe("commerce.discountPrice");
  });
});

describe("legacy Friendtalk", () => {
  it("maps FT/FI/FW onto TEXT/IMAGE/WIDE, keeping button order", () => {
    const f = Friendtalk.parse({ content: "봄 세일", imageUrl: img.url, buttons: [{ ordering: 2, type: "WL", name: "둘", linkMo: "https://b.example.com" }, { ordering: 1, type: "WL", name: "하나", linkMo: "https://a.example.com" }] });
    expect(friendtalkToBrandMessage(f)).toMatchObject({ kind: "brand", chatBubbleType: "IMAGE", image: { url: img.url }, buttons: [{ name: "하나" }, { name: "둘" }] });
    expect(friendtalkToBrandMessage(Friendtalk.parse({ content: "x", imageUrl: img.url, wide: true })).chatBubbleType).toBe("WIDE");
    expect(friendtalkToBrandMessage(Friendtalk.parse({ content: "x" })).chatBubbleType).toBe("TEXT");
  });

  it("keeps Friendtalk's own limits and refuses isAd: false", () => {
    expect(issues({ kind: "friendtalk", content: "a".repeat(401), imageUrl: img.url })[0]).toMatchObject({ path: "content", message: expect.stringContaining("400") });
    expect(issues({ kind: "friendtalk", content: "hi", isAd: false })[0]?.path).toBe("isAd");
  });

  it("is sent as a Brand Message with its type and price", async () => {
    const { channel } = await startKakao({ id: "kakao-friendtalk", friendtalkChannel: false });
    expect(channel.prepare(Friendtalk.parse({ content: "봄 세일" }))).toEqual({ messageType: "BMS_TEXT", cost: { amount: 20, currency: "KRW" } });
  });
});

describe("AlimTalk", () => {
  it("checks the variables against the registered template", async () => {
    const { channel } = await startKakao();
    expect(channel.prepare({ kind: "alimtalk", templateCode: "ORDER_OK", variables: { name: "김민준", orderNo: "A-1" } })).toEqual({ messageType: "ALIMTALK", cost: { amount: 8, currency: "KRW" } });
    expect(() => channel.prepare({ kind: "alimtalk", templateCode: "ORDER_OK", variables: { name: "김민준" } })).toThrow(/variables.orderNo/);
    expect(() => channel.prepare({ kind: "alimtalk", templateCode: "ORDER_OK", variables: { name: "a", orderNo: "b", extra: "c" } })).toThrow(/has no #\{extra\}/);
    expect(() => channel.prepare({ kind: "alimtalk", templateCode: "NOPE", variables: {} })).toThrow(/templateCode/);
  });
});
