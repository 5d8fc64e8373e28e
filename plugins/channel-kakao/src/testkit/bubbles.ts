/** One Brand Message per rich bubble type, each field given once, with both vendors' image references (url and id): provider tests send each. */
const WL = { name: "구매", type: "WL" as const, linkMo: "https://shop.example.com/p" };
const img = (n: string) => ({ url: `https://cdn.example.com/${n}.jpg`, id: `IMG${n}` });
const links = { linkMo: "https://shop.example.com/m", linkPc: "https://shop.example.com/pc", schemeAndroid: "shop://a", schemeIos: "shop://i" };
const commerce = { title: "러닝화", regularPrice: 89000, discountPrice: 69000, discountRate: 22 };

export const BUBBLES = {
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
