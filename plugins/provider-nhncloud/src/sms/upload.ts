import { z } from "zod";
import { ChannelRejectedError, ValidationError, vendorRequest } from "@nudge/core";
import { checkMmsImage, type MmsImageFile, type MmsImageLimits } from "@nudge/channel-sms";
import { NhnCloudSmsConfig, type NhnCloudSmsConfigInput } from "./config.js";
import { nhnSmsError } from "./errors.js";

/**
 * NHN Cloud's MMS image limits (SMS API v3.0 guide, "장문 MMS 발송" Description:
 * https://docs.nhncloud.com/ko/Notification/SMS/ko/api-guide/): .jpg/.jpeg, at most 3 images, each at most 300 KB
 * and 1000×1000 px, and 800 KB together when there are 3.
 */
export const NHN_MMS_IMAGES: Required<MmsImageLimits> = { max: 3, maxBytes: 300 * 1024, maxTotalBytes: 800 * 1024, maxWidth: 1000, maxHeight: 1000 };

/** "첨부 파일 업로드" answer: `body.data { fileId, fileName, filePath }`. */
const UploadAnswer = z.object({
  header: z.object({ isSuccessful: z.boolean(), resultCode: z.number(), resultMessage: z.string().nullish() }),
  body: z.object({ data: z.object({ fileId: z.union([z.number(), z.string()]), fileName: z.string().nullish() }).nullish() }).nullish(),
});

/**
 * Checks an MMS image (JPEG, size, pixels: NHN_MMS_IMAGES) and uploads it to NHN Cloud:
 * `POST /sms/v3.0/appKeys/{appKey}/attachfile/binaryUpload` with `{ fileName, createUser, fileBody }` (Base64) and
 * `X-Secret-Key` (same guide, "첨부 파일 업로드"). Returns the `images[]` entry of sms content: `ref` is NHN's fileId.
 * A file over a limit is refused with a ValidationError before any request.
 */
export async function uploadNhnMmsImage(configInput: NhnCloudSmsConfigInput, file: MmsImageFile): Promise<{ ref: string; name: string; sizeBytes: number }> {
  const config = NhnCloudSmsConfig.parse(configInput);
  checkMmsImage(file, NHN_MMS_IMAGES, { provider: "nhncloud" });
  const url = `${config.baseUrl.replace(/\/$/, "")}/sms/v3.0/appKeys/${encodeURIComponent(config.appKey)}/attachfile/binaryUpload`;
  const answer = await vendorRequest(url, {
    method: "POST",
    headers: { "Content-Type": "application/json;charset=UTF-8", "X-Secret-Key": config.secretKey },
    body: JSON.stringify({ fileName: file.name, createUser: "nudge", fileBody: Buffer.from(file.data).toString("base64") }),
    timeoutMs: config.timeoutMs,
  });
  const parsed = UploadAnswer.safeParse(answer.body);
  if (!parsed.success) {
    throw new ChannelRejectedError(`NHN Cloud SMS answered HTTP ${answer.status} with an unexpected body: ${ValidationError.fromZod("upload answer", parsed.error).message}`, { providerCode: `HTTP_${answer.status}` });
  }
  const { header, body } = parsed.data;
  if (!header.isSuccessful) throw nhnSmsError(header.resultCode, header.resultMessage ?? "");
  if (!body?.data) throw new ChannelRejectedError("NHN Cloud SMS accepted the upload without a file id", { providerCode: String(header.resultCode) });
  return { ref: String(body.data.fileId), name: file.name, sizeBytes: file.data.length };
}
