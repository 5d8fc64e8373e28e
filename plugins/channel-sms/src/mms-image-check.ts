import { ValidationError, type FieldIssue } from "@nudge/core";
import { imageSize } from "image-size";
import type { MmsImageLimits } from "./provider.js";

/** An MMS image as its bytes, before it is uploaded to a provider. */
export interface MmsImageFile {
  /** File name; carriers take JPEG only (.jpg / .jpeg). */
  name: string;
  data: Uint8Array;
}

const n = (v: number) => v.toLocaleString("en-US");

/**
 * Checks an MMS image's bytes against a provider's limits before it is uploaded: a JPEG (by name and by content),
 * at most `maxBytes`, and within `maxWidth` × `maxHeight` pixels. image-size reads the dimensions from the file
 * header (a JPEG's SOF marker), so no image is decoded. Throws a ValidationError naming `path` and the limit;
 * returns the dimensions otherwise.
 */
export function checkMmsImage(file: MmsImageFile, limits: MmsImageLimits, options: { provider: string; path?: string }): { width: number; height: number } {
  const path = options.path ?? "image";
  const issues: FieldIssue[] = [];
  if (!/\.jpe?g$/i.test(file.name)) issues.push({ path: `${path}.name`, message: "MMS images must be JPEG (.jpg/.jpeg)" });
  if (file.data.length > limits.maxBytes) issues.push({ path: `${path}.data`, message: `${n(file.data.length)} bytes; ${options.provider} takes MMS images up to ${n(limits.maxBytes)} bytes` });
  let size: { width?: number | undefined; height?: number | undefined; type?: string | undefined } = {};
  try {
    size = imageSize(file.data);
  } catch {
    issues.push({ path: `${path}.data`, message: "is not an image whose size can be read" });
  }
  if (size.type !== undefined && size.type !== "jpg") issues.push({ path: `${path}.data`, message: `is a ${size.type} image; MMS images must be JPEG` });
  const width = size.width ?? 0;
  const height = size.height ?? 0;
  if ((limits.maxWidth !== undefined && width > limits.maxWidth) || (limits.maxHeight !== undefined && height > limits.maxHeight)) {
    issues.push({ path: `${path}.data`, message: `${width}×${height} px; ${options.provider} takes MMS images up to ${limits.maxWidth ?? "any"}×${limits.maxHeight ?? "any"} px` });
  }
  if (issues.length > 0) throw new ValidationError("MMS image", issues);
  return { width, height };
}
