import { z } from "zod";

/**
 * NHN Cloud KakaoTalk Bizmessage answers, as the Brand Message v1.0 and AlimTalk v2.3 guides document them; only the
 * fields read are checked. Every answer starts with `header { resultCode, resultMessage, isSuccessful }`.
 */
const Header = z.object({ resultCode: z.number(), resultMessage: z.string().nullish(), isSuccessful: z.boolean() });

/** A send: `message { requestId, sendResults[{ recipientSeq, recipientNo, resultCode, resultMessage }] }`. */
export const SendAnswer = z.object({
  header: Header,
  message: z
    .object({
      requestId: z.string(),
      sendResults: z.array(z.object({ recipientSeq: z.number().int(), recipientNo: z.string().nullish(), resultCode: z.number(), resultMessage: z.string().nullish() })),
    })
    .nullish(),
});

/**
 * One message (`GET …/messages/{requestId}/{recipientSeq}`): `message { messageStatus, resultCode, resultCodeName,
 * receiveDate, resendStatus }` (resendStatus: RSC01–RSC05, see resend.ts).
 */
export const PollAnswer = z.object({
  header: Header,
  message: z
    .object({ messageStatus: z.string().nullish(), resultCode: z.string().nullish(), resultCodeName: z.string().nullish(), receiveDate: z.string().nullish(), resendStatus: z.string().nullish() })
    .nullish(),
});

/** A message list (`GET …/messages?…`): `messageSearchResultResponse { messages[], totalCount }`. */
export const ListAnswer = z.object({
  header: Header,
  messageSearchResultResponse: z
    .object({
      messages: z.array(
        z.object({ requestId: z.string(), recipientSeq: z.number().int(), messageStatus: z.string().nullish(), resultCode: z.string().nullish(), resultCodeName: z.string().nullish() }),
      ),
    })
    .nullish(),
});
export type ListedMessage = NonNullable<z.output<typeof ListAnswer>["messageSearchResultResponse"]>["messages"][number];
