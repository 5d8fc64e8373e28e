import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendContext } from "@nudge/core/testkit";
import { BUBBLES } from "@nudge/channel-kakao/testkit";
import { solapiKakaoFake } from "./solapi-kakao.fake.js";
import { defaultNow, kakaoThroughSolapi, person } from "./harness.js";

const friend = person("+821012345678", true);
const links = { linkMo: "https://shop.example.com/m", linkPc: "https://shop.example.com/pc", schemeAndroid: "shop://a", schemeIos: "shop://i" };
const commerce = { title: "러닝화", regularPrice: 89000, discountPrice: 69000, discountRate: 22 };

describe("Solapi Brand Message bubbles, against the SDK's bms schema", () => {
  const f = solapiKakaoFake(() => defaultNow);
  let channel: Awaited<ReturnType<typeof kakaoThroughSolapi>>;
  beforeAll(async () => {
    channel = await kakaoThroughSolapi(await f.fake.start());
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

  it("keeps WIDE and PREMIUM_VIDEO content to one line break (Solapi's SDK), though the shared rule takes NHN's 5", async () => {
    const video = { videoUrl: "https://tv.kakao.com/v/1", thumbnailUrl: "https://cdn.example.com/t.jpg", thumbnailId: "IMGt" };
    await send({ kind: "brand", chatBubbleType: "WIDE", content: "가\n나", image: { id: "IMGw" } });
    expect(f.fake.problems).toEqual([]);
    const before = f.fake.requests.length;
    await expect(send({ kind: "brand", chatBubbleType: "WIDE", content: "가\n나\n다", image: { id: "IMGw" } })).rejects.toMatchObject({ issues: [{ path: "content", message: "Solapi's WIDE content takes at most 1 line break" }] });
    await expect(send({ kind: "brand", chatBubbleType: "PREMIUM_VIDEO", content: "가\n나\n다", video })).rejects.toMatchObject({ issues: [{ path: "content" }] });
    expect(f.fake.requests.length).toBe(before);
  });

  it("carousels and video in Solapi's names", async () => {
    await send(BUBBLES.CAROUSEL_FEED);
    expect(bms()["carousel"]).toMatchObject({ list: [{ header: "신상 1", content: "가벼운 러닝화", imageId: "IMGc1", imageLink: "https://shop.example.com/c1" }, { imageId: "IMGc2" }], tail: { linkMobile: "https://shop.example.com/all" } });
    await send(BUBBLES.CAROUSEL_COMMERCE);
    expect(bms()["carousel"]).toMatchObject({ head: { header: "봄 세일", imageId: "IMGh", linkMobile: links.linkMo, linkAndroid: links.schemeAndroid }, list: [{ commerce, imageId: "IMGk1" }], tail: { linkAndroid: "shop://all" } });
    await send(BUBBLES.PREMIUM_VIDEO);
    expect(bms()["video"]).toEqual({ videoUrl: "https://tv.kakao.com/v/1", imageId: "IMGt" });
    await send(BUBBLES.COMMERCE);
    expect(bms()).toMatchObject({ additionalContent: "오늘 출발", imageId: "IMGp", commerce });
    expect(f.fake.problems).toEqual([]);
  });
});
