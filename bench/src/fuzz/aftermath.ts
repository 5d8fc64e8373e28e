import type { FuzzKeys, FuzzRequest } from "./hostile-requests.js";
import { type Answer, send } from "./fuzz-run.js";
import { ID_POOL } from "./schema-sampler.js";

const MAX_READBACKS = 300;

/** Path-encodes any string, lone surrogates too (as the CESU-8 bytes a careless client would send; encodeURIComponent throws). */
function pathOf(id: string): string {
  return [...id]
    .map((ch) => {
      const cp = ch.codePointAt(0)!;
      if (cp < 0xd800 || cp > 0xdfff) return encodeURIComponent(ch);
      return [0xed, 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join("");
    })
    .join("");
}

function unique(ids: FuzzRequest["ids"], max: number): FuzzRequest["ids"] {
  const seen = new Set<string>();
  return ids.filter((id) => {
    const k = JSON.stringify(id);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  }).slice(0, max);
}

/**
 * After a run, proves no later request was harmed: the instance answers /healthz and /readyz; every
 * pooled person can be identified, tracked and read back with what was just written; each identity the
 * instance accepted during the run is found again under the same id (a store that altered it on the way
 * in would answer 404 or 409); each identity it refused is refused again, never with 409 or 5xx.
 * Returns what went wrong, one line each.
 */
export async function checkAftermath(base: string, keys: FuzzKeys, accepted: FuzzRequest["ids"], refused: FuzzRequest["ids"]): Promise<string[]> {
  const problems: string[] = [];
  const ingest = { authorization: `Bearer ${keys.ingest}`, "content-type": "application/json" };
  const admin = { authorization: `Bearer ${keys.admin}` };
  const post = (path: string, body: unknown) => send(base, "POST", path, ingest, Buffer.from(JSON.stringify(body)));
  const expect = (what: string, a: Answer, ok: number[]) => {
    if (!ok.includes(a.status)) problems.push(`${what}: answered ${a.status} ${a.text.slice(0, 200)}`);
    return ok.includes(a.status);
  };

  expect("GET /healthz", await send(base, "GET", "/healthz", {}, null), [200]);
  expect("GET /readyz", await send(base, "GET", "/readyz", {}, null), [200]);
  const stamp = Date.now();
  for (const userId of ID_POOL) {
    expect(`identify ${userId}`, await post("/v1/identify", { userId, traits: { fuzzCheck: stamp } }), [202]);
    expect(`track ${userId}`, await post("/v1/track", { userId, event: "fuzz_check" }), [202]);
    const view = await send(base, "GET", `/v1/profiles/${pathOf(userId)}`, admin, null);
    if (expect(`GET profile ${userId}`, view, [200]) && (JSON.parse(view.text) as { traits?: Record<string, unknown> }).traits?.["fuzzCheck"] !== stamp) {
      problems.push(`GET profile ${userId}: the trait just written is not there`);
    }
  }
  // One identity field at a time: two fields of two different people would be a legitimate conflict.
  for (const id of unique(accepted, MAX_READBACKS)) {
    for (const [field, value] of Object.entries(id)) {
      const shown = JSON.stringify(value);
      if (!expect(`identify ${field} ${shown} again`, await post("/v1/identify", { [field]: value, traits: { fuzzCheck: stamp } }), [202])) continue;
      if (field === "userId") expect(`GET profile ${shown}`, await send(base, "GET", `/v1/profiles/${pathOf(value)}`, admin, null), [200]);
    }
  }
  for (const id of unique(refused, 50)) {
    for (const [field, value] of Object.entries(id)) {
      const a = await post("/v1/identify", { [field]: value });
      if (a.status === 409 || a.status >= 500) problems.push(`identify ${field} ${JSON.stringify(value)} after the run: answered ${a.status} ${a.text.slice(0, 200)}`);
    }
  }
  return problems;
}
