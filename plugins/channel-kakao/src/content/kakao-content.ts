import { z } from "zod";
import { AlimTalk } from "./alimtalk.js";
import { BrandMessage } from "./brand-message.js";
import { Friendtalk } from "./friendtalk.js";

/** The kakao channel's content: a Brand Message, a legacy Friendtalk (sent as Brand Message) or an AlimTalk. */
export const KakaoContent = z.discriminatedUnion("kind", [BrandMessage, Friendtalk.safeExtend({ kind: z.literal("friendtalk") }), AlimTalk]);
export type KakaoContent = z.infer<typeof KakaoContent>;
