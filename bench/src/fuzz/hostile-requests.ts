import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import type { Operation } from "./operations.js";
import { BAD_ESCAPES, HUGE_NUMBERS, INVALID_UTF8, LONE_SURROGATES, MARK, NULS, PROTO_KEYS, WRONG_VALUES, damage, nested, put, rename, slots, splice } from "./payloads.js";
import { Random } from "./random.js";
import { ID_POOL, sample } from "./schema-sampler.js";

export interface FuzzKeys {
  ingest: string;
  admin: string;
}

/** One request of a run, reproducible from (seed, index). */
export interface FuzzRequest {
  index: number;
  /** The operation: `post /v1/track`. */
  route: string;
  attack: string;
  method: string;
  /** Request target below the mount point, exactly as sent (may hold bad escapes). */
  target: string;
  headers: Record<string, string>;
  body: Buffer | null;
  /** The people the body names, as the server parses them (hostile ids included): read back after the run. */
  ids: { userId?: string; anonymousId?: string }[];
}

const ATTACKS = [
  [3, "corrupt-encoding"],
  [1, "unsupported-encoding"],
  [2, "bad-escape-path"],
  [2, "bad-escape-query"],
  [3, "lone-surrogate"],
  [3, "invalid-utf8"],
  [2, "nul"],
  [2, "huge-number"],
  [2, "deep"],
  [1, "duplicate-keys"],
  [2, "proto-keys"],
  [3, "wrong-type"],
  [1, "oversized"],
  [2, "content-type"],
  [2, "malformed-json"],
  [1, "auth"],
  [3, "valid"],
] as const;
export type Attack = (typeof ATTACKS)[number][1];

const CONTENT_TYPES = ["text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=latin1", "application/json; charset=utf-16", 'application/json; charset="bogus"', "application/json;;;", "*/*", "application/merge-patch+json", "application/json; charset=utf-32", "json", "a/b/c"];
const MALFORMED = ['{"a":1,}', "{'a':1}", '{"a":NaN}', "\ufeff{}", "", "} {", '{"a":1} {"b":2}', "[1,2", '{"a":"\\x41"}', '{"a":"\\u12"}', "/* c */ {}", "null", '"str"', "12"];
const AUTH = ["", "Bearer", "Bearer ", "Basic Zm9vOmJhcg==", `Bearer ${"x".repeat(8_000)}`, "Bearer %ZZ", "bearer  two  spaces"];
const COMPRESS = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync } as const;

/** The body an operation expects, before it is made hostile. */
function baseBody(op: Operation, r: Random, resolve: Parameters<typeof sample>[1]): unknown {
  if (op.body?.kind === "json") return sample(op.body.schema, resolve, r);
  if (op.body?.kind === "form") return { "List-Unsubscribe": "One-Click" };
  return { id: `msg-${r.int(1000)}`, status: r.pick(["delivered", "failed"]) };
}

function paramValue(name: string, r: Random): string {
  if (name === "channel" || name === "provider") return r.pick(["sandbox", "sms", "nope"]);
  if (name === "token") return Buffer.from(Array.from({ length: 8 + r.int(40) }, () => r.int(256))).toString("base64url");
  return r.pick(ID_POOL);
}

/** A form body of an object's fields; any other value as its JSON text (still a hostile form body). */
function formText(value: unknown): string {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return JSON.stringify(value) ?? "null";
  return new URLSearchParams(Object.entries(value).map(([k, v]): [string, string] => [k, typeof v === "string" ? v : (JSON.stringify(v) ?? "")])).toString();
}

/** The people a body names: the call's own identity, or each batch item's. */
function idsIn(body: unknown): FuzzRequest["ids"] {
  if (body === null || typeof body !== "object") return [];
  const items = Array.isArray((body as { batch?: unknown }).batch) ? ((body as { batch: unknown[] }).batch as unknown[]) : [body];
  return items.flatMap((i) => {
    const { userId, anonymousId } = (i ?? {}) as Record<string, unknown>;
    const id = { ...(typeof userId === "string" ? { userId } : {}), ...(typeof anonymousId === "string" ? { anonymousId } : {}) };
    return Object.keys(id).length > 0 ? [id] : [];
  });
}

/**
 * Request `index` of a run with `seed`: operations in turn (every route is reached once per
 * `ops.length` requests), each with one attack picked at random.
 */
export function hostileRequest(ops: Operation[], resolve: Parameters<typeof sample>[1], keys: FuzzKeys, seed: number, index: number): FuzzRequest {
  const r = Random.forRequest(seed, index);
  const op = ops[index % ops.length]!;
  const attack: Attack = r.weighted(ATTACKS);
  const params = Object.fromEntries(op.pathParams.map((p) => [p, encodeURIComponent(paramValue(p, r))]));
  const query: string[] = op.queryParams.filter(() => r.chance(0.3)).map((q) => `${q}=${q === "limit" ? r.int(300) : encodeURIComponent(r.pick(ID_POOL))}`);
  const headers: Record<string, string> = {};
  if (op.scope !== "public") headers["authorization"] = `Bearer ${op.scope === "ingest" ? keys.ingest : keys.admin}`;
  if (op.body) headers["content-type"] = op.body.kind === "json" ? "application/json" : op.body.kind === "form" ? "application/x-www-form-urlencoded" : "application/json";
  let value = baseBody(op, r, resolve);
  // A body's id matches the path's, as PUT /v1/segments/{id} requires.
  if (op.pathParams.includes("id") && value !== null && typeof value === "object" && "id" in value) (value as { id: unknown }).id = decodeURIComponent(params["id"]!);
  let body: Buffer | null = op.body || r.chance(0.2) ? null : Buffer.alloc(0);
  let ids: FuzzRequest["ids"] | null = null;
  /** A bad escape glued to the last literal segment, for routes without parameters. */
  let literal = "";
  const all = () => slots(value);
  const strings = () => all().filter((s) => typeof s.value === "string");
  const keyed = () => all().filter((s) => s.parent !== null && !Array.isArray(s.parent));
  const objects = () => all().filter((s) => s.value !== null && typeof s.value === "object" && !Array.isArray(s.value));
  /** A hostile string in a string field (or a key, sometimes): value-level, so the ids it names are read back. */
  const plantString = (hostile: string) => {
    const names = keyed();
    if (names.length > 0 && r.chance(0.25)) rename(r.pick(names), hostile);
    else value = put(value, r.pick(strings().length > 0 ? strings() : all()), hostile);
    ids = idsIn(value);
  };
  const plantRaw = (raw: string | Buffer) => {
    value = put(value, r.pick(all()), MARK);
    body = splice(value, raw);
  };

  switch (attack) {
    case "corrupt-encoding": {
      const encoding = r.pick(["gzip", "deflate", "br"] as const);
      headers["content-encoding"] = r.chance(0.1) ? encoding.toUpperCase() : encoding;
      const text = Buffer.from(r.chance(0.2) ? "{not json" : JSON.stringify(value));
      body = damage(COMPRESS[encoding](text), r);
      break;
    }
    case "unsupported-encoding":
      headers["content-encoding"] = r.pick(["zstd", "compress", "gzip, br", "x-gzip", "identity, gzip", "chunked", "utf-8"]);
      break;
    case "bad-escape-path": {
      const name = op.pathParams.length > 0 ? r.pick(op.pathParams) : null;
      if (name) params[name] = r.pick(BAD_ESCAPES);
      else literal = r.pick(BAD_ESCAPES);
      break;
    }
    case "bad-escape-query": {
      const names = [...op.queryParams, "x", "secret", "%ZZ", "a[b]", "__proto__"];
      for (let i = 1 + r.int(3); i > 0; i--) query.push(`${r.pick(names)}=${r.pick(BAD_ESCAPES)}`);
      if (r.chance(0.2)) query.push(`${r.pick(names)}=1`, `${r.pick(names)}=2`);
      break;
    }
    case "lone-surrogate":
      if (op.pathParams.length > 0 && r.chance(0.2)) params[r.pick(op.pathParams)] = "%ED%A0%80";
      else plantString(r.pick(LONE_SURROGATES));
      break;
    case "invalid-utf8": {
      const bad = Buffer.from(r.pick(INVALID_UTF8));
      const names = keyed();
      const texts = strings();
      if (names.length > 0 && r.chance(0.25)) rename(r.pick(names), MARK);
      else value = put(value, r.pick(texts.length > 0 ? texts : all()), MARK);
      body = splice(value, Buffer.concat([Buffer.from('"a'), bad, Buffer.from('b"')]));
      break;
    }
    case "nul":
      if (op.pathParams.length > 0 && r.chance(0.2)) params[r.pick(op.pathParams)] = "a%00b";
      else if (r.chance(0.2)) query.push(`${r.pick([...op.queryParams, "x"])}=%00`);
      else plantString(r.pick(NULS));
      break;
    case "huge-number":
      plantRaw(r.pick(HUGE_NUMBERS));
      break;
    case "deep":
      plantRaw(nested(r.pick([10_000, 10_000, 600, 400]), r));
      break;
    case "duplicate-keys": {
      const target = objects().find((s) => s.parent === null) ?? null;
      const text = JSON.stringify(value) ?? "null";
      const key = target ? (Object.keys(target.value as object)[0] ?? "userId") : "userId";
      const dup = `"${key}":${JSON.stringify(r.pick([...WRONG_VALUES, ...LONE_SURROGATES]))}`;
      body = Buffer.from(text.startsWith("{") && text !== "{}" ? (r.chance(0.5) ? `{${dup},${text.slice(1)}` : `${text.slice(0, -1)},${dup}}`) : text);
      break;
    }
    case "proto-keys": {
      const target = r.pick(objects().length > 0 ? objects() : all());
      const key = r.pick(PROTO_KEYS);
      if (target.value !== null && typeof target.value === "object" && !Array.isArray(target.value)) {
        Object.defineProperty(target.value, key, { value: r.pick([{ polluted: true }, "x", 1, null]), enumerable: true, writable: true, configurable: true });
      }
      break;
    }
    case "wrong-type":
      value = put(value, r.pick(all()), r.pick(WRONG_VALUES));
      break;
    case "oversized":
      value = put(value, r.pick(strings().length > 0 ? strings() : all()), "x".repeat(op.path === "/v1/batch" ? 1_100_000 : 300_000));
      break;
    case "content-type":
      if (r.chance(0.1)) delete headers["content-type"];
      else headers["content-type"] = r.pick(CONTENT_TYPES);
      break;
    case "malformed-json":
      body = Buffer.from(r.pick(MALFORMED));
      break;
    case "auth":
      headers["authorization"] = r.pick(AUTH);
      break;
    case "valid":
      ids = idsIn(value);
      break;
  }
  if (body === null) body = Buffer.from(op.body?.kind === "form" ? formText(value) : (JSON.stringify(value) ?? "null"));
  let target = op.path.replace(/\{([A-Za-z]+)\}/g, (_m, name: string) => params[name] ?? "x") + literal;
  if (query.length > 0) target += `?${query.join("&")}`;
  return { index, route: `${op.method} ${op.path}`, attack, method: op.method.toUpperCase(), target, headers, body, ids: ids ?? [] };
}
