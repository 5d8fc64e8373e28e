/**
 * NHN Cloud's AlimTalk v2.3 send request ("메시지 치환 발송 요청",
 * https://docs.nhncloud.com/ko/Notification/KakaoTalk%20Bizmessage/ko/alimtalk-api-guide/; source TOAST-DOCS/Alimtalk
 * ko/alimtalk-api-guide.md). `!` marks required keys. `templateParameter` is a map of strings, checked apart.
 * Its `resendParameter` has no `resendUnsubscribeNo` (the Brand Message one does).
 */
import { shapeProblems, type Shape } from "@nudge/core/testkit";

const RECIPIENT: Shape = {
  "recipientNo!": "string",
  resendParameter: { isResend: "boolean", resendType: "string", resendTitle: "string", resendContent: "string", resendSendNo: "string" },
  buttons: [{ ordering: "number", chatExtra: "string", chatEvent: "string", relayId: "string", oneClickId: "string", productId: "string", target: "string", telNumber: "string" }],
  quickReplies: [{ ordering: "number", chatExtra: "string", chatEvent: "string", target: "string" }],
  recipientGroupingKey: "string",
};

const ALIMTALK: Shape = {
  "senderKey!": "string",
  "templateCode!": "string",
  requestDate: "string",
  senderGroupingKey: "string",
  createUser: "string",
  "recipientList!": [RECIPIENT],
  messageOption: { price: "number", currencyType: "string" },
  statsId: "string",
};

/** Contract problems in an AlimTalk send body; empty when it matches the guide. */
export function alimTalkProblems(body: unknown): string[] {
  const recipients = ((body as { recipientList?: unknown } | null)?.recipientList ?? []) as Record<string, unknown>[];
  const withoutParameters = { ...(body as object), recipientList: Array.isArray(recipients) ? recipients.map(({ templateParameter: _t, ...r }) => r) : recipients };
  const out = shapeProblems(withoutParameters, ALIMTALK, "body");
  recipients.forEach((r, i) => {
    const params = r["templateParameter"];
    if (params === undefined) return;
    if (typeof params !== "object" || params === null || Object.values(params).some((v) => typeof v !== "string")) out.push(`body.recipientList[${i}].templateParameter must map keys to strings`);
  });
  for (const [i, r] of recipients.entries()) {
    const key = r["recipientGroupingKey"];
    if (typeof key === "string" && key.length > 100) out.push(`body.recipientList[${i}].recipientGroupingKey holds at most 100 characters`);
  }
  return out;
}
