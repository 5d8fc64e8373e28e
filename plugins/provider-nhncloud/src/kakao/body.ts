import type { AlimTalk, BrandMessage, BrandPayload, BubbleType } from "@nudge/channel-kakao";
import type { NhnCloudKakaoResend } from "./config.js";

type Json = Record<string, unknown>;

const defined = (o: Json): Json => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/**
 * The content fields NHN Cloud's freestyle request documents for each bubble type, besides senderKey,
 * chatBubbleType, pushAlarm, adult and recipientList ("메시지 자유형 발송 요청",
 * https://docs.nhncloud.com/ko/Notification/KakaoTalk%20Bizmessage/ko/friendtalkupgrade-api-guide/; source
 * TOAST-DOCS/Alimtalk ko/friendtalkupgrade-api-guide.md). Names are ours (`items` is NHN's `item.list`); a field
 * outside its bubble's list is refused by the provider's `issues` rather than dropped.
 */
export const NHN_BUBBLE_FIELDS: Record<BubbleType, readonly (keyof BrandMessage)[]> = {
  TEXT: ["content", "buttons", "coupon"],
  IMAGE: ["content", "image", "buttons", "coupon"],
  WIDE: ["content", "image", "buttons", "coupon"],
  WIDE_ITEM_LIST: ["header", "items", "buttons", "coupon"],
  PREMIUM_VIDEO: ["content", "header", "video", "buttons", "coupon"],
  COMMERCE: ["additionalContent", "image", "commerce", "buttons", "coupon"],
  CAROUSEL_FEED: ["carousel"],
  CAROUSEL_COMMERCE: ["carousel"],
};

/**
 * `resendParameter` (대체발송): sent explicitly either way, because NHN resends by default when the console has
 * fallback configured, which would duplicate Nudge's own fallback chain. The 080 opt-out number is a Brand
 * Message field only: AlimTalk v2.3's resendParameter has none (informational messages need no opt-out).
 */
function resendParameter(resend: NhnCloudKakaoResend, brand: boolean): Json {
  if (!resend.enabled) return { isResend: false };
  const digits = (n: string | undefined) => n?.replace(/\D/g, "");
  return defined({ isResend: true, resendType: resend.type, resendTitle: resend.title, resendSendNo: digits(resend.sendNo), resendUnsubscribeNo: brand ? digits(resend.unsubscribeNo) : undefined });
}

const links = (l: { linkMo?: string | undefined; linkPc?: string | undefined; schemeAndroid?: string | undefined; schemeIos?: string | undefined }): Json =>
  defined({ linkMo: l.linkMo, linkPc: l.linkPc, schemeAndroid: l.schemeAndroid, schemeIos: l.schemeIos });

const buttons = (bs: BrandMessage["buttons"]): Json[] | undefined => bs?.map((b) => defined({ ...b }));

/**
 * `carousel`: CAROUSEL_FEED cards are `{ header, message, imageUrl, imageLink, buttons, coupon }` (NHN names the
 * card text `message`, not `content`); CAROUSEL_COMMERCE cards `{ additionalContent, imageUrl, imageLink, buttons,
 * coupon, commerce }` after an optional `head { header, content, imageUrl, linkMo, linkPc, schemeAndroid, schemeIos }`;
 * both end with an optional `tail { linkMo, linkPc, schemeAndroid, schemeIos }`.
 */
function carousel(m: BrandMessage): Json | undefined {
  const c = m.carousel;
  if (!c) return undefined;
  const feed = m.chatBubbleType === "CAROUSEL_FEED";
  return defined({
    head: !feed && c.head ? defined({ header: c.head.header, content: c.head.content, imageUrl: c.head.image.url, ...links(c.head) }) : undefined,
    list: c.list.map((it) =>
      feed
        ? defined({ header: it.header, message: it.content, imageUrl: it.image.url, imageLink: it.image.link, buttons: buttons(it.buttons), coupon: it.coupon })
        : defined({ additionalContent: it.additionalContent, imageUrl: it.image.url, imageLink: it.image.link, buttons: buttons(it.buttons), coupon: it.coupon, commerce: it.commerce }),
    ),
    tail: c.tail ? links(c.tail) : undefined,
  });
}

/** The value NHN expects for one of our content fields. */
function field(m: BrandMessage, name: keyof BrandMessage): [string, unknown] {
  switch (name) {
    case "image":
      return ["image", m.image ? defined({ imageUrl: m.image.url, imageLink: m.image.link }) : undefined];
    case "buttons":
      return ["buttons", buttons(m.buttons)];
    case "items":
      // WIDE_ITEM_LIST: `item { list [{ title, imageUrl, linkMo, linkPc, schemeAndroid, schemeIos }] }`, 3–4 entries.
      return ["item", m.items ? { list: m.items.map((it) => defined({ title: it.title, imageUrl: it.image.url, ...links(it) })) } : undefined];
    case "carousel":
      return ["carousel", carousel(m)];
    case "video":
      return ["video", m.video ? defined({ videoUrl: m.video.videoUrl, thumbnailUrl: m.video.thumbnailUrl }) : undefined];
    default:
      return [name, m[name]];
  }
}

/** One recipient: national digits, and the grouping key the provider finds the message by later (lookup.ts). */
export interface NhnRecipient {
  recipientNo: string;
  groupingKey: string;
}

/**
 * The freestyle request `POST /brand-message/v1.0/appkeys/{appkey}/freestyle-messages`. Targeting sits on each
 * recipient (`recipientList[].targeting`, I/M/N), next to `resendParameter` and `recipientGroupingKey`.
 */
export function freestyleBody(senderKey: string, m: BrandPayload, to: NhnRecipient, resend: NhnCloudKakaoResend): Json {
  const content = Object.fromEntries(NHN_BUBBLE_FIELDS[m.chatBubbleType].map((name) => field(m, name)));
  return defined({
    senderKey,
    chatBubbleType: m.chatBubbleType,
    pushAlarm: m.pushAlarm,
    adult: m.adult,
    ...content,
    recipientList: [{ recipientNo: to.recipientNo, targeting: m.targeting, resendParameter: resendParameter(resend, true), recipientGroupingKey: to.groupingKey }],
  });
}

/**
 * AlimTalk v2.3 `POST /alimtalk/v2.3/appkeys/{appkey}/messages` ("메시지 치환 발송 요청",
 * https://docs.nhncloud.com/ko/Notification/KakaoTalk%20Bizmessage/ko/alimtalk-api-guide/): senderKey, templateCode,
 * recipientList[{ recipientNo, templateParameter, resendParameter, recipientGroupingKey }].
 */
export function alimTalkBody(senderKey: string, m: AlimTalk, to: NhnRecipient, resend: NhnCloudKakaoResend): Json {
  return {
    senderKey,
    templateCode: m.templateCode,
    recipientList: [{ recipientNo: to.recipientNo, templateParameter: m.variables, resendParameter: resendParameter(resend, false), recipientGroupingKey: to.groupingKey }],
  };
}
