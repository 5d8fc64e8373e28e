import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "@nudge/core";
import { sendContext } from "@nudge/core/testkit";
import { BUBBLES } from "@nudge/channel-kakao/testkit";
import { nhnKakaoFake } from "./nhn-kakao.fake.js";
import { kakaoThroughNhn, person } from "./harness.js";

const friend = person("+821012345678", true);
const WL = { name: "구매", type: "WL" as const, linkMo: "https://shop.example.com/p" };
const links = { linkMo: "https://shop.example.com/m", linkPc: "https://shop.example.com/pc", schemeAndroid: "shop://a", schemeIos: "shop://i" };
const commerce = { title: "러닝화", regularPrice: 89000, discountPrice: 69000, discountRate: 22 };
const img = (n: string) => ({ url: `https://cdn.example.com/${n}.jpg`, id: `IMG${n}` });

describe("NHN Cloud Brand Message bubbles, field by field against the freestyle guide", () => {
  const f = nhnKakaoFake();
  let channel: Awaited<ReturnType<typeof kakaoThroughNhn>>;
  beforeAll(async () => {
    channel = await kakaoThroughNhn(await f.fake.start());
  });
  afterAll(() => f.fake.close());
  const send = (content: unknown) => channel.send({ to: "+821012345678", content: content as never, context: sendContext(friend) });
  const body = () => f.fake.last()!.json as Record<string, unknown>;

  it("WIDE_ITEM_LIST: header and item.list with linkMo on every entry, the first without a title", async () => {
    await send(BUBBLES.WIDE_ITEM_LIST);
    expect(f.fake.problems).toEqual([]);
    expect(body()).toMatchObject({
      header: "봄 특가",
      item: {
        list: [
          { imageUrl: "https://cdn.example.com/m.jpg", ...links },
          { title: "러닝화", imageUrl: "https://cdn.example.com/s1.jpg", linkMo: "https://shop.example.com/1" },
          { title: "운동복", imageUrl: "https://cdn.example.com/s2.jpg", linkMo: "https://shop.example.com/2" },
          { title: "모자", imageUrl: "https://cdn.example.com/s3.jpg", linkMo: "https://shop.example.com/3" },
        ],
      },
    });
    expect((body()["item"] as { list: Record<string, unknown>[] }).list[0]).not.toHaveProperty("title");
  });

  it("CAROUSEL_FEED: cards carry `message` (not content), no head", async () => {
    await send(BUBBLES.CAROUSEL_FEED);
    expect(f.fake.problems).toEqual([]);
    expect(body()["carousel"]).toEqual({
      list: [
        { header: "신상 1", message: "가벼운 러닝화", imageUrl: "https://cdn.example.com/c1.jpg", imageLink: "https://shop.example.com/c1", buttons: [WL] },
        { header: "신상 2", message: "통기성 좋은 운동복", imageUrl: "https://cdn.example.com/c2.jpg", buttons: [WL] },
      ],
      tail: { linkMo: "https://shop.example.com/all" },
    });
  });

  it("CAROUSEL_COMMERCE: head with its links, cards with additionalContent and commerce, tail with app links", async () => {
    await send(BUBBLES.CAROUSEL_COMMERCE);
    expect(f.fake.problems).toEqual([]);
    expect(body()["carousel"]).toEqual({
      head: { header: "봄 세일", content: "이번 주만", imageUrl: "https://cdn.example.com/h.jpg", ...links },
      list: [{ additionalContent: "무료 배송", imageUrl: "https://cdn.example.com/k1.jpg", buttons: [WL], commerce }],
      tail: { linkMo: "https://shop.example.com/all", schemeAndroid: "shop://all" },
    });
  });

  it("COMMERCE and PREMIUM_VIDEO: only the fields their tables list", async () => {
    await send(BUBBLES.COMMERCE);
    expect(body()).toMatchObject({ additionalContent: "오늘 출발", image: { imageUrl: "https://cdn.example.com/p.jpg" }, commerce, buttons: [WL] });
    await send(BUBBLES.PREMIUM_VIDEO);
    expect(body()).toMatchObject({ header: "봄 컬렉션", content: "영상으로 보기", video: { videoUrl: "https://tv.kakao.com/v/1", thumbnailUrl: "https://cdn.example.com/t.jpg" } });
    expect(f.fake.problems).toEqual([]);
  });

  it("refuses, before any request, a field the bubble type does not take or an image without its URL", async () => {
    const before = f.fake.requests.length;
    await expect(send({ kind: "brand", chatBubbleType: "TEXT", content: "hi", header: "머리말" })).rejects.toMatchObject({ issues: [{ path: "header", message: "NHN Cloud's TEXT message takes no header" }] });
    await expect(send({ kind: "brand", chatBubbleType: "IMAGE", content: "x", image: { id: "IMG1" } })).rejects.toMatchObject({ issues: [{ path: "image.url" }] });
    expect(() => channel.prepare!({ kind: "brand", chatBubbleType: "TEXT", content: "hi", header: "머리말" } as never, sendContext(friend))).toThrow(ValidationError);
    expect(f.fake.requests.length).toBe(before);
  });

  // NHN's freestyle guide, `content`, as updated 2026-05: IMAGE 1,300 characters and 99 line breaks (it was 400
  // and 29), WIDE and PREMIUM_VIDEO 76 characters and 5 line breaks (it was 1).
  const video = { videoUrl: "https://tv.kakao.com/v/1", thumbnailUrl: "https://cdn.example.com/t.jpg" };
  const bubble = (type: "IMAGE" | "WIDE" | "PREMIUM_VIDEO", content: string) =>
    type === "PREMIUM_VIDEO" ? { kind: "brand", chatBubbleType: type, content, video } : { kind: "brand", chatBubbleType: type, content, image: img("i") };

  it("sends IMAGE content of exactly 1,300 characters and 99 line breaks; one more is refused naming content", async () => {
    await send(bubble("IMAGE", "가".repeat(1300)));
    await send(bubble("IMAGE", `${"a\n".repeat(99)}a`));
    expect(f.fake.problems).toEqual([]);
    const before = f.fake.requests.length;
    await expect(send(bubble("IMAGE", "가".repeat(1301)))).rejects.toMatchObject({ issues: [{ path: "content", message: expect.stringContaining("at most 1,300 characters") }] });
    await expect(send(bubble("IMAGE", `${"a\n".repeat(100)}a`))).rejects.toMatchObject({ issues: [{ path: "content", message: expect.stringContaining("99 line breaks") }] });
    expect(f.fake.requests.length).toBe(before);
  });

  it.each(["WIDE", "PREMIUM_VIDEO"] as const)("sends %s content with exactly 5 line breaks and 76 characters; one more is refused naming content", async (type) => {
    await send(bubble(type, `${"가\n".repeat(5)}가`));
    await send(bubble(type, "가".repeat(76)));
    expect(f.fake.problems).toEqual([]);
    const before = f.fake.requests.length;
    await expect(send(bubble(type, `${"가\n".repeat(6)}가`))).rejects.toMatchObject({ issues: [{ path: "content", message: expect.stringContaining("5 line breaks") }] });
    await expect(send(bubble(type, "가".repeat(77)))).rejects.toMatchObject({ issues: [{ path: "content" }] });
    expect(f.fake.requests.length).toBe(before);
  });
});
