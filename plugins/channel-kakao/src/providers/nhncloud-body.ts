import type { KakaoConfig } from "../config.js";
import type { AlimTalk } from "../content/alimtalk.js";
import type { BrandMessage } from "../content/brand-message.js";
import type { Targeting } from "../content/brand-message-parts.js";

type Json = Record<string, unknown>;

const defined = (o: Json): Json => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/**
 * NHN `resendParameter` (대체발송): sent explicitly either way, because NHN resends by default when the
 * console has fallback configured, which would duplicate Nudge's own fallback chain.
 */
export function resendParameter(resend: KakaoConfig["resend"]): Json {
  if (!resend.enabled) return { isResend: false };
  return defined({ isResend: true, resendType: resend.type, resendTitle: resend.title, resendSendNo: resend.sendNo?.replace(/\D/g, ""), resendUnsubscribeNo: resend.unsubscribeNo?.replace(/\D/g, "") });
}

function image(i: { url?: string | undefined; link?: string | undefined } | undefined): Json | undefined {
  return i ? defined({ imageUrl: i.url, imageLink: i.link }) : undefined;
}

/**
 * The freestyle request (https://docs.nhncloud.com/en/Notification/KakaoTalk%20Bizmessage/en/friendtalkupgrade-api-guide/,
 * "Request to Send a Free-Form Message"). TEXT, IMAGE and WIDE follow the documented body field for field;
 * the item, commerce, carousel and video objects use the same names as the guide's other bubble sections
 * but were not checked one by one.
 */
export function freestyleBody(senderKey: string, m: BrandMessage, to: string, targeting: Targeting, resend: KakaoConfig["resend"]): Json {
  return defined({
    senderKey,
    chatBubbleType: m.chatBubbleType,
    pushAlarm: m.pushAlarm,
    adult: m.adult,
    content: m.content,
    header: m.header,
    additionalContent: m.additionalContent,
    image: image(m.image),
    buttons: m.buttons?.map((b) => defined({ ...b })),
    coupon: m.coupon,
    item: m.items ? { list: m.items.map((it) => defined({ title: it.title, imageUrl: it.image.url, linkMo: it.linkMo, linkPc: it.linkPc, schemeAndroid: it.schemeAndroid, schemeIos: it.schemeIos })) } : undefined,
    commerce: m.commerce,
    carousel: m.carousel
      ? defined({
          head: m.carousel.head ? defined({ header: m.carousel.head.header, content: m.carousel.head.content, imageUrl: m.carousel.head.image.url, linkMo: m.carousel.head.linkMo }) : undefined,
          list: m.carousel.list.map((it) => defined({ header: it.header, content: it.content, additionalContent: it.additionalContent, imageUrl: it.image.url, imageLink: it.image.link, buttons: it.buttons, coupon: it.coupon, commerce: it.commerce })),
          tail: m.carousel.tail,
        })
      : undefined,
    video: m.video,
    recipientList: [{ recipientNo: to, targeting, resendParameter: resendParameter(resend) }],
  });
}

/** AlimTalk v2.3 `POST /alimtalk/v2.3/appkeys/{appkey}/messages`: senderKey, templateCode, recipientList[{ recipientNo, templateParameter }]. */
export function alimTalkBody(senderKey: string, m: AlimTalk, to: string, resend: KakaoConfig["resend"]): Json {
  return defined({
    senderKey,
    templateCode: m.templateCode,
    recipientList: [defined({ recipientNo: to, templateParameter: m.variables, resendParameter: resendParameter(resend) })],
  });
}
