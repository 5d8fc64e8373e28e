import { z } from "zod";

/**
 * Aligo's JSON answers. Numbers arrive as numbers or as strings depending on the field and the API, so they
 * are coerced; fields the pages do not call mandatory are nullish.
 */

/**
 * `POST /send/` answer (https://smartsms.aligo.in/admin/api/spec.html, 문자보내기 [ Response ]):
 * `result_code` (1 = success, negative = error), `message`, `msg_id`, `success_cnt`, `error_cnt`, `msg_type`.
 * (The copy of the page we could read ends before this table; the field names are the ones Aligo's public
 * clients read, and the ones this example's brief lists.)
 */
export const SendAnswer = z.object({
  result_code: z.coerce.number().int(),
  message: z.string().nullish(),
  msg_id: z.union([z.string(), z.number()]).nullish(),
  success_cnt: z.coerce.number().int().nullish(),
  error_cnt: z.coerce.number().int().nullish(),
  msg_type: z.string().nullish(),
});
export type SendAnswer = z.output<typeof SendAnswer>;

/**
 * `POST /sms_list/` answer (https://smartsms.aligo.in/admin/api/status.html, 전송결과 조회): `result_code`,
 * `message`, `list` (one entry per recipient of the message), `next_yn`. The entry fields below are the ones
 * Aligo's detail list shows (receiver, sms_state, send_date); the page we could read does not enumerate
 * them, so every one is optional and unknown ones are ignored.
 */
export const ListAnswer = z.object({
  result_code: z.coerce.number().int(),
  message: z.string().nullish(),
  list: z
    .array(
      z.object({
        mdid: z.union([z.string(), z.number()]).nullish(),
        receiver: z.string().nullish(),
        sms_state: z.string().nullish(),
        send_date: z.string().nullish(),
      }),
    )
    .nullish(),
  next_yn: z.string().nullish(),
});
export type ListAnswer = z.output<typeof ListAnswer>;

/** Aligo writes Korean local times without an offset: "2026-03-02 12:00:04". */
export function kstToEpoch(value: string | null | undefined, fallback: number): number {
  if (!value) return fallback;
  const t = Date.parse(`${value.trim().replace(" ", "T")}+09:00`);
  return Number.isFinite(t) ? t : fallback;
}
