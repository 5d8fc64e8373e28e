import { describe, expect, it } from "vitest";
import { serviceAvailable } from "@nudge/core/testkit";
import { checkAftermath } from "../bench/src/fuzz/aftermath.js";
import { runFuzz, send } from "../bench/src/fuzz/fuzz-run.js";
import { type FuzzServer, type FuzzStore, startFuzzServer } from "../bench/src/fuzz/fuzz-server.js";
import { type OpenApiDocument, operationsOf } from "../bench/src/fuzz/operations.js";

/** A few hundred per store keeps this under half a minute; `npm run fuzz -- --requests 20000` runs the long one. */
const REQUESTS = 340;
const SEED = 20_261_207;

async function serve(store: FuzzStore, skip: (note: string) => void): Promise<FuzzServer> {
  if (store === "postgres") {
    const up = await serviceAvailable("PostgreSQL", "127.0.0.1", 5432);
    if (up !== true) skip(up);
  }
  return startFuzzServer(store);
}

const identify = (s: FuzzServer, text: string) =>
  send(s.url, "POST", "/v1/identify", { authorization: `Bearer ${s.keys.ingest}`, "content-type": "application/json" }, Buffer.from(text));

describe.each(["sqlite", "postgres"] as const)("hostile HTTP requests, %s storage", (store) => {
  it(`${REQUESTS} seeded hostile requests over every route: no 5xx, every 4xx problem JSON naming the field, nothing harmed afterwards`, async (ctx) => {
    const server = await serve(store, (note) => ctx.skip(note));
    try {
      const report = await runFuzz(server.url, server.keys, { requests: REQUESTS, seed: SEED });
      const replay = report.violations.map((v) => `#${v.index} ${v.route} [${v.attack}] ${v.target} -> ${v.why}: ${v.answer}`).join("\n");
      expect(report.violations, replay).toEqual([]);
      expect(server.logs.filter((l) => Number(l["level"]) >= 50).map((l) => l["msg"])).toEqual([]);
      // Every operation of the document was reached, by every kind of attack.
      const doc = JSON.parse((await send(server.url, "GET", "/openapi.json", {}, null)).text) as OpenApiDocument;
      expect(Object.keys(report.byRoute).sort()).toEqual(operationsOf(doc).map((o) => `${o.method} ${o.path}`).sort());
      expect(Object.keys(report.byAttack)).toHaveLength(17);
      // Both refusals and acceptances happened, so the aftermath reads real data back.
      expect(report.byClass["4xx"]).toBeGreaterThan(REQUESTS / 2);
      expect(report.accepted.length).toBeGreaterThan(0);
      expect(await checkAftermath(server.url, server.keys, report.accepted, report.refused)).toEqual([]);
    } finally {
      await server.close();
    }
  }, 120_000);

  it("an id holding a lone surrogate is refused every time, and does not poison the ids after it", async (ctx) => {
    const server = await serve(store, (note) => ctx.skip(note));
    try {
      for (const attempt of [1, 2]) {
        const a = await identify(server, `{"userId":"fz-\\ud800","traits":{"attempt":${attempt}}}`);
        expect(a.status, a.text).toBe(400);
        expect(JSON.parse(a.text)).toMatchObject({ code: "NUDGE_VALIDATION", errors: [{ path: "userId" }] });
        const trait = await identify(server, `{"userId":"fz-ok","traits":{"note":"\\udfff"}}`);
        expect(trait.status, trait.text).toBe(400);
      }
      expect((await identify(server, '{"userId":"fz-ok","traits":{"a":1}}')).status).toBe(202);
      expect((await identify(server, '{"userId":"fz-ok","traits":{"a":2}}')).status).toBe(202);
    } finally {
      await server.close();
    }
  });
});
