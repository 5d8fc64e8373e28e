import type { BrandPayload, Button } from "@nudge/channel-kakao";

type Json = Record<string, unknown>;
const defined = (o: Json): Json => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** Our button -> Solapi's `{ name, linkType, linkMobile, linkPc, linkAndroid, linkIos, chatExtra }` (models/base/kakao/bms/bmsButton.ts). */
function button(b: Button): Json {
  return defined({ name: b.type === "AC" ? undefined : b.name, linkType: b.type, linkMobile: b.linkMo, linkPc: b.linkPc, linkAndroid: b.schemeAndroid, linkIos: b.schemeIos, chatExtra: b.chatExtra });
}

/** Our link fields -> Solapi's `{ linkMobile, linkPc, linkAndroid, linkIos }` (bmsWideItem.ts, bmsCarousel.ts). */
function links(l: { linkMo?: string | undefined; linkPc?: string | undefined; schemeAndroid?: string | undefined; schemeIos?: string | undefined }): Json {
  return defined({ linkMobile: l.linkMo, linkPc: l.linkPc, linkAndroid: l.schemeAndroid, linkIos: l.schemeIos });
}

/** `kakaoOptions.bms` for a Brand Message (solapi/solapi-nodejs models/base/kakao/kakaoOption.ts, baseBmsSchema). */
export function solapiBms(m: BrandPayload): Json {
  const [main, ...subs] = m.items ?? [];
  return defined({
    targeting: m.targeting,
    chatBubbleType: m.chatBubbleType,
    adult: m.adult,
    header: m.header,
    additionalContent: m.additionalContent,
    imageId: m.image?.id,
    imageLink: m.image?.link,
    // TEXT takes its content from the message's `text`; the other bubbles carry it here.
    content: m.chatBubbleType === "TEXT" ? undefined : m.content,
    buttons: m.buttons?.map(button),
    coupon: m.coupon ? defined({ title: m.coupon.title, description: m.coupon.description, linkMobile: m.coupon.linkMo, linkPc: m.coupon.linkPc, linkAndroid: m.coupon.schemeAndroid, linkIos: m.coupon.schemeIos }) : undefined,
    mainWideItem: main ? defined({ title: main.title, imageId: main.image.id, ...links(main) }) : undefined,
    subWideItemList: subs.length ? subs.map((s) => defined({ title: s.title, imageId: s.image.id, ...links(s) })) : undefined,
    commerce: m.commerce,
    carousel: m.carousel
      ? defined({
          head: m.carousel.head ? defined({ header: m.carousel.head.header, content: m.carousel.head.content, imageId: m.carousel.head.image.id, ...links(m.carousel.head) }) : undefined,
          list: m.carousel.list.map((it) => defined({ header: it.header, content: it.content, additionalContent: it.additionalContent, imageId: it.image.id, imageLink: it.image.link, buttons: it.buttons.map(button), commerce: it.commerce })),
          tail: m.carousel.tail ? links(m.carousel.tail) : undefined,
        })
      : undefined,
    // Solapi's video is `{ videoUrl, imageId, imageLink }` (bmsVideo.ts): the thumbnail goes by storage id.
    video: m.video ? defined({ videoUrl: m.video.videoUrl, imageId: m.video.thumbnailId }) : undefined,
  });
}
