import { describe, expect, it } from "vitest";
import { serviceAvailable } from "@nudge/core/testkit";
import { type Answer, send } from "../bench/src/fuzz/fuzz-run.js";
import { type FuzzServer, startFuzzServer } from "../bench/src/fuzz/fuzz-server.js";

/**
 * Identifies linking one anonymous id to two people, racing erasures of one of them, over HTTP on
 * PostgreSQL. The erasure must not deadlock with the identifies (no 5xx), and must not leave the
 * anonymous id pointing at the erased person (every later identify with it answered 409, for good).
 * Several groups of ids race side by side, so the interleavings that went wrong come up in one run.
 */
const GROUPS = 4;
const ROUNDS = 100;

interface Call {
  what: string;
  answer: Answer;
}

function client(s: FuzzServer) {
  const ingest = { authorization: `Bearer ${s.keys.ingest}`, "content-type": "application/json" };
  const admin = { authorization: `Bearer ${s.keys.admin}` };
  return {
    identify: async (body: Record<string, unknown>): Promise<Call> => ({
      what: `identify ${JSON.stringify(body)}`,
      answer: await send(s.url, "POST", "/v1/identify", ingest, Buffer.from(JSON.stringify(body))),
    }),
    erase: async (userId: string): Promise<Call> => ({ what: `erase ${userId}`, answer: await send(s.url, "DELETE", `/v1/profiles/${userId}`, admin, null) }),
  };
}

const show = (calls: Call[]) => calls.map((c) => `${c.what} -> ${c.answer.status} ${c.answer.text}`).join("\n");

describe("PostgreSQL: identifies racing an erasure", () => {
  it(`${GROUPS} x ${ROUNDS} rounds of concurrent identifies and erasures: no 5xx and no 409, and every id identifies afterwards, one call at a time`, async (ctx) => {
    const up = await serviceAvailable("PostgreSQL", "127.0.0.1", 5432);
    if (up !== true) ctx.skip(up);
    const server = await startFuzzServer("postgres");
    try {
      const { identify, erase } = client(server);
      const refused: Call[] = [];
      const after: Call[] = [];
      const race = async (g: number) => {
        const [a, b, x] = [`a${g}`, `b${g}`, `x${g}`];
        for (let round = 0; round < ROUNDS; round++) {
          const calls = await Promise.all([
            identify({ userId: a, anonymousId: x }),
            identify({ userId: b, anonymousId: x }),
            identify({ anonymousId: x, traits: { round } }),
            round % 2 === 0 ? erase(a) : identify({ userId: a }),
          ]);
          // Erasing somebody not (yet) there is a 404; anything else but 2xx is a failure.
          refused.push(...calls.filter((c) => c.answer.status >= 300 && !(c.what.startsWith("erase") && c.answer.status === 404)));
          // One call alone, after the race: nothing concurrent with it on these ids, so a 409 is a poisoned id.
          after.push(await identify({ anonymousId: x }));
        }
      };
      await Promise.all(Array.from({ length: GROUPS }, (_, g) => race(g)));
      expect(show(refused)).toBe("");
      expect(show(after.filter((c) => c.answer.status >= 300))).toBe("");
      for (let g = 0; g < GROUPS; g++) {
        for (const body of [{ anonymousId: `x${g}` }, { userId: `a${g}` }, { userId: `b${g}` }, { userId: `a${g}`, anonymousId: `x${g}` }, { userId: `b${g}`, anonymousId: `x${g}` }]) {
          const call = await identify(body);
          expect(call.answer.status, show([call])).toBe(202);
        }
      }
      expect(server.logs.filter((l) => Number(l["level"]) >= 50).map((l) => l["msg"])).toEqual([]);
    } finally {
      await server.close();
    }
  }, 120_000);
});
