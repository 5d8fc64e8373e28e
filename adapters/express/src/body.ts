import express, { type Request, type RequestHandler } from "express";
import type { BodySpec } from "./route-spec.js";
import { noteInvalidUtf8, refuseUnstorableBody } from "./hostile-input.js";
import { adoptHostBody } from "./host-body.js";
import { problem, sendProblem } from "./problem.js";

const JSON_TYPES = ["application/json", "application/*+json"];
const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];
const FORM_LIMIT = "16kb";

/** Whether the request carries a body at all (the same test body-parser makes). */
function hasBody(req: Request): boolean {
  return req.headers["transfer-encoding"] !== undefined || (req.headers["content-length"] !== undefined && req.headers["content-length"] !== "0");
}

/** 415 for a body of another type; a request without a body passes (its schema then names what is missing). */
function requireType(types: string[]): RequestHandler {
  return (req, res, next) => {
    if (hasBody(req) && !req.is(types)) {
      const given = req.headers["content-type"] ?? "none";
      sendProblem(res, problem(415, "NUDGE_UNSUPPORTED_MEDIA_TYPE", `Send ${types.join(" or ")} (got ${given})`));
      return;
    }
    next();
  };
}

/**
 * The middlewares that read a route's body: type check, what the host's parser left when one ran before
 * the router (host-body.ts), then body-parser with the route's limit (it skips a body already read).
 */
export function bodyReaders(spec: BodySpec<unknown> | undefined, defaultLimit: string | number): RequestHandler[] {
  if (!spec) return [];
  switch (spec.kind) {
    case "json": {
      const limit = spec.limit ?? defaultLimit;
      return [requireType(JSON_TYPES), adoptHostBody("json", limit, hasBody), express.json({ limit, type: JSON_TYPES, strict: true, verify: noteInvalidUtf8 }), refuseUnstorableBody];
    }
    case "form":
      // Kept raw and decoded in readForm: the one-click body is one fixed field, not worth a multipart parser.
      return [requireType(FORM_TYPES), adoptHostBody("form", FORM_LIMIT, hasBody), express.raw({ limit: FORM_LIMIT, type: FORM_TYPES })];
    case "raw":
      return [adoptHostBody("raw", defaultLimit, hasBody), express.raw({ limit: defaultLimit, type: () => true })];
  }
}

/**
 * Decodes a small form body into its fields: application/x-www-form-urlencoded, or multipart/form-data
 * with plain text fields (RFC 8058 lets a mail client send either).
 */
export function readForm(body: unknown, contentType: string | undefined): Record<string, string> {
  // Fields the host's express.urlencoded() already parsed: only plain string values are form fields.
  if (body !== null && typeof body === "object" && !Buffer.isBuffer(body)) {
    return Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === "string"));
  }
  const text = Buffer.isBuffer(body) ? body.toString("utf8") : "";
  const fields: Record<string, string> = {};
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? "");
  if (contentType?.toLowerCase().startsWith("multipart/form-data") && boundary) {
    for (const part of text.split(`--${boundary[1] ?? boundary[2]}`)) {
      const m = /content-disposition:\s*form-data;\s*name="([^"]*)"[^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*\r?\n([\s\S]*?)\r?\n?$/i.exec(part.replace(/^\r?\n/, ""));
      if (m) fields[m[1]!] = m[2]!;
    }
    return fields;
  }
  for (const [k, v] of new URLSearchParams(text)) fields[k] = v;
  return fields;
}
