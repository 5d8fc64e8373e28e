import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidationError } from "@nudge/core";
import { sendContext } from "@nudge/core/testkit";
import { nhnKakaoFake } from "./nhn-kakao.fake.js";
import { solapiKakaoFake } from "./solapi-kakao.fake.js";
import { kakaoChannel, nhnProvider, person, solapiProvider } from "./harness.js";

const friend = person("+821012345678", true);
const WL = { name: "구매", type: "WL" as const, linkMo: "https://shop.example.com/p" };
const img = (n: string) => ({ url: `https://cdn.example.com/${n}.jpg`, id: `IMG${n}` });
const links = { linkMo: "https://shop.example.com/m", linkPc: "https://shop.example.com/pc", schemeAndroid: "shop://a", schemeIos: "shop://i" };
const commerce = { title: "러닝화", regularPrice: 89000, discountPrice: 69000, discountRate: 22 };

/** One message per rich bubble type, each field given once so both providers' bodies can be checked whole. */
const BUBBLES = {
  WIDE_ITEM_LIST: {
    kind: "brand",
    chatBubbleType: "WIDE_ITEM_LIST",
    header: "봄 특가",
    items: [
      { image: img("m"), ...links },
      { title: "러닝화", image: img("s1"), linkMo: "https://shop.example.com/1" },
      { title: "운동복", image: img("s2"), linkMo: "https://shop.example.com/2" },
      { title: "모자", image: img("s3"), linkMo: "https://shop.example.com/3" },
    ],
    buttons: [WL],
  },
  CAROUSEL_FEED: {
    kind: "brand",
    chatBubbleType: "CAROUSEL_FEED",
    carousel: {
      list: [
        { header: "신상 1", content: "가벼운 러닝화", image: { ...img("c1"), link: "https://shop.example.com/c1" }, buttons: [WL] },
        { header: "신상 2", content: "통기성 좋은 운동복", image: img("c2"), buttons: [WL] },
      ],
      tail: { linkMo: "https://shop.example.com/all" },
    },
  },
  CAROUSEL_COMMERCE: {
    kind: "brand",
    chatBubbleType: "CAROUSEL_COMMERCE",
    carousel: {
      head: { header: "봄 세일", content: "이번 주만", image: img("h"), ...links },
      list: [{ additionalContent: "무료 배송", image: img("k1"), buttons: [WL], commerce }],
      tail: { linkMo: "https://shop.example.com/all", schemeAndroid: "shop://all" },
    },
  },
  COMMERCE: { kind: "brand", chatBubbleType: "COMMERCE", additionalContent: "오늘 출발", image: img("p"), commerce, buttons: [WL] },
  PREMIUM_VIDEO: { kind: "brand", chatBubbleType: "PREMIUM_VIDEO", header: "봄 컬렉션", content: "영상으로 보기", video: { videoUrl: "https://tv.kakao.com/v/1", thumbnailUrl: "https://cdn.example.com/t.jpg", thumbnailId: "IMGt" }, buttons: [WL] },
} as const;

describe("NHN Cloud Brand Message bubbles, field by field against the freestyle guide", () => {
  const f = nhnKakaoFake();
  let channel: ReturnType<typeof kakaoChannel>;
  beforeAll(async () => {
    channel = kakaoChannel({ provider: nhnProvider(await f.fake.start()) });
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

  it("refuses, before any request, a field the bubble type does not take and IMAGE content over NHN's 400 characters", async () => {
    const before = f.fake.requests.length;
    await expect(send({ kind: "brand", chatBubbleType: "TEXT", content: "hi", header: "머리말" })).rejects.toMatchObject({ issues: [{ path: "header", message: "NHN Cloud's TEXT message takes no header" }] });
    await expect(send({ kind: "brand", chatBubbleType: "IMAGE", content: "가".repeat(401), image: img("i") })).rejects.toBeInstanceOf(ValidationError);
    await expect(send({ kind: "brand", chatBubbleType: "IMAGE", content: "a\n".repeat(30), image: img("i") })).rejects.toMatchObject({ issues: [{ path: "content" }] });
    expect(f.fake.requests.length).toBe(before);
    await send({ kind: "brand", chatBubbleType: "IMAGE", content: "가".repeat(400), image: img("i") });
    expect(f.fake.problems).toEqual([]);
  });
});

describe("Solapi Brand Message bubbles, against the SDK's bms schema", () => {
  const f = solapiKakaoFake();
  let channel: ReturnType<typeof kakaoChannel>;
  beforeAll(async () => {
    channel = kakaoChannel({ provider: solapiProvider(await f.fake.start()) });
  });
  afterAll(() => f.fake.close());
  const send = (content: unknown) => channel.send({ to: "+821012345678", content: content as never, context: sendContext(friend) });
  const bms = () => (f.lastMessage()["kakaoOptions"] as { bms: Record<string, unknown> }).bms;

  it("WIDE_ITEM_LIST: a main item and the sub items, links as linkMobile/linkAndroid/linkIos", async () => {
    await send(BUBBLES.WIDE_ITEM_LIST);
    expect(f.fake.problems).toEqual([]);
    expect(bms()).toMatchObject({
      mainWideItem: { imageId: "IMGm", linkMobile: links.linkMo, linkPc: links.linkPc, linkAndroid: links.schemeAndroid, linkIos: links.schemeIos },
      subWideItemList: [
        { title: "러닝화", imageId: "IMGs1", linkMobile: "https://shop.example.com/1" },
        { title: "운동복", imageId: "IMGs2", linkMobile: "https://shop.example.com/2" },
        { title: "모자", imageId: "IMGs3", linkMobile: "https://shop.example.com/3" },
      ],
    });
  });

  it("takes fewer than a main item and 3 sub items nowhere near the wire", async () => {
    const before = f.fake.requests.length;
    await expect(send({ ...BUBBLES.WIDE_ITEM_LIST, items: BUBBLES.WIDE_ITEM_LIST.items.slice(0, 3) })).rejects.toMatchObject({ issues: [{ path: "items" }] });
    expect(f.fake.requests.length).toBe(before);
  });

  it("carousels and video in Solapi's names", async () => {
    await send(BUBBLES.CAROUSEL_FEED);
    expect(bms()["carousel"]).toMatchObject({ list: [{ header: "신상 1", content: "가벼운 러닝화", imageId: "IMGc1", imageLink: "https://shop.example.com/c1" }, { imageId: "IMGc2" }], tail: { linkMobile: "https://shop.example.com/all" } });
    await send(BUBBLES.CAROUSEL_COMMERCE);
    expect(bms()["carousel"]).toMatchObject({ head: { header: "봄 세일", imageId: "IMGh", linkMobile: links.linkMo, linkAndroid: links.schemeAndroid }, list: [{ commerce, imageId: "IMGk1" }], tail: { linkAndroid: "shop://all" } });
    await send(BUBBLES.PREMIUM_VIDEO);
    expect(bms()["video"]).toEqual({ videoUrl: "https://tv.kakao.com/v/1", imageId: "IMGt" });
    expect(f.fake.problems).toEqual([]);
  });
});
