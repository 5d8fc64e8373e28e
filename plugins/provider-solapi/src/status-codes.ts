/**
 * Solapi's four-digit message status codes (statusCode in send answers, message lists and delivery reports),
 * from Solapi's published table: https://developers.solapi.com/references/message-status-codes (source:
 * solapi/documents api-reference/message-status-codes.md). The first digit says where the message stopped:
 * 1xxx refused on registration, 2000 accepted, 2xxx refused inside Solapi, 3000 handed to the carrier (waiting
 * for its report), 3xxx refused by the carrier or by Kakao, 4000 received by the phone.
 *
 * Each documented code is sorted into what Nudge does about it:
 * - `delivered`: the recipient has it.
 * - `pending`: on its way; a report follows.
 * - `permanent`: this message will never go out as it is (content, sender, account, template): no retry.
 * - `unreachable`: this recipient cannot get it on this channel (blocked, opted out, no such subscriber,
 *   not a channel friend): the dispatcher falls back.
 * - `deferred`: refused now, allowed later (outside Kakao's sending hours).
 * - `transient`: a server, network or handset condition that a later attempt may get past.
 */
export type SolapiOutcome = "delivered" | "pending" | "permanent" | "unreachable" | "deferred" | "transient";

export const SOLAPI_STATUS_CODES_URL = "https://developers.solapi.com/references/message-status-codes";

/** Every code in Solapi's table, with our reading of its meaning in the comment. */
export const SOLAPI_STATUS_CODES: Readonly<Record<string, SolapiOutcome>> = {
  // 1xxx: refused while registering the message.
  "1010": "permanent", // a required value is missing
  "1011": "permanent", // malformed value
  "1013": "permanent", // a subject on an SMS
  "1014": "permanent", // subject longer than 40 bytes
  "1020": "permanent", // unknown account or wrong credentials
  "1021": "permanent", // no such message
  "1022": "permanent", // no such group
  "1023": "permanent", // no such image
  "1024": "transient", // Solapi server error
  "1025": "permanent", // unsupported message type
  "1026": "permanent", // the same recipient number twice
  "1027": "permanent", // body is not UTF-8
  "1028": "permanent", // non-printable characters
  "1029": "permanent", // characters outside EUC-KR in a text message
  "1030": "permanent", // balance too low: someone has to top up first
  "1031": "permanent", // body over the type's length limit
  "1032": "permanent", // invalid custom field
  "1033": "permanent", // kakaoOptions on a non-Kakao type
  "1034": "permanent", // imageId not found
  "1041": "permanent", // invalid Kakao channel (pfId)
  "1042": "permanent", // invalid template id
  "1043": "permanent", // text differs from the registered template
  "1044": "permanent", // invalid button
  "1045": "permanent", // invalid button URL
  "1046": "permanent", // template has buttons, none sent
  "1047": "permanent", // template has no buttons, some sent
  "1048": "permanent", // button URL too long
  "1049": "permanent", // button name too long
  "1050": "permanent", // too many buttons
  "1051": "permanent", // unregistered Friendtalk image id
  "1052": "permanent", // buttons out of the template's order
  "1053": "permanent", // delivery-tracking button on Friendtalk
  "1058": "unreachable", // no route to this recipient
  "1060": "unreachable", // recipient number is blocked
  "1061": "unreachable", // recipient opted out through the 080 number
  "1062": "permanent", // sender number not registered (발신번호 미등록)
  "1064": "permanent", // blocked after a KISA report
  // 2000 and 2xxx: accepted, or refused inside Solapi.
  "2000": "pending", // accepted, waiting to go to the carrier
  "2011": "permanent", // malformed value
  "2024": "transient", // Solapi server error
  "2060": "unreachable", // recipient number is blocked
  "2061": "unreachable", // recipient opted out through the 080 number
  "2062": "permanent", // sender number not registered
  "2063": "permanent", // account blocked
  "2064": "permanent", // blocked after a KISA report
  "2230": "permanent", // balance too low
  "2254": "permanent", // treated as spam by Solapi
  // 3000 and 3xxx: with the carrier (or Kakao), or refused there.
  "3000": "pending", // with the carrier, waiting for its report
  "3010": "unreachable", // recipient number malformed
  "3011": "permanent", // malformed value
  "3012": "transient", // error at the carrier's side of the link
  "3013": "permanent", // sender number breaks the numbering rules
  "3014": "permanent", // message state unknown to the carrier
  "3024": "transient", // server error
  "3031": "permanent", // cannot be sent
  "3032": "unreachable", // not a subscriber (the number is not in service)
  "3040": "transient", // timed out at the carrier
  "3041": "transient", // handset busy
  "3042": "transient", // no coverage
  "3043": "transient", // handset switched off
  "3044": "transient", // handset message storage full
  "3045": "transient", // service on the handset suspended for now
  "3046": "transient", // other handset problem
  "3047": "unreachable", // recipient refuses incoming messages
  "3048": "permanent", // code unknown to the carrier
  "3050": "unreachable", // handset cannot take SMS
  "3051": "transient", // recipient side cannot take calls right now
  "3052": "permanent", // deleted by the carrier's operator
  "3053": "transient", // carrier queue full
  "3054": "permanent", // spam
  "3055": "permanent", // spam: number registered with nospam.or.kr
  "3056": "transient", // failed on the wireless network
  "3057": "transient", // failed between the network and the handset
  "3058": "unreachable", // no route to this recipient
  "3059": "permanent", // spoofed sender number
  "3060": "unreachable", // recipient failed adult verification
  "3101": "permanent", // Kakao: invalid sender profile key
  "3102": "unreachable", // Kakao: not a friend of the channel
  "3103": "permanent", // Kakao: text does not match the template
  "3104": "unreachable", // Kakao: not a KakaoTalk user
  "3105": "permanent", // Kakao: template not registered
  "3106": "permanent", // Kakao: invalid channel id
  "3107": "unreachable", // Kakao: no KakaoTalk use in 72 hours, or AlimTalk blocked by the user
  "3108": "deferred", // Kakao: outside the hours messages may be sent
  "4000": "delivered", // received
};

/**
 * Codes that say the person opted out through the 080 number (수신거부): 1061 refused on registration, 2061 inside
 * Solapi. In a report they unsubscribe the person from the channel, as NHN Cloud's UNSUBSCRIBE webhook does.
 */
export const SOLAPI_OPT_OUT: ReadonlySet<string> = new Set(["1061", "2061"]);

/** Codes that say the number itself is dead: an SMS channel may stop using it. */
export const SOLAPI_DEAD_NUMBER: ReadonlySet<string> = new Set(["3010", "3032"]);

/** What a status code means for Nudge. Codes the table does not list are treated as permanent failures. */
export function solapiOutcome(code: string): SolapiOutcome {
  return SOLAPI_STATUS_CODES[code] ?? "permanent";
}
