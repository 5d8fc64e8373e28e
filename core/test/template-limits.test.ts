import { describe, expect, it } from "vitest";
import { TemplateRenderer } from "../src/template/renderer.js";
import { publish } from "./helpers.js";
import { templateInstances } from "./template-instances.js";

/** Loose guard, not a benchmark: unbounded, these ran for minutes (the literal loop) or 1.6 s (the trait loop). */
const QUICK_MS = 3_000;

const LITERAL_LOOP = "{% for i in (1..100000000) %}x{% endfor %}";
const TRAIT_LOOP = "{% for i in (1..profile.traits.n) %}x{% endfor %}";
const NESTED_LOOP = "{% for i in (1..3000) %}{% for j in (1..3000) %}x{% endfor %}{% endfor %}";

const instance = templateInstances();

function timed<T>(fn: () => T): { result: T | undefined; error: unknown; ms: number } {
  const started = performance.now();
  try {
    return { result: fn(), error: undefined, ms: performance.now() - started };
  } catch (error) {
    return { result: undefined, error, ms: performance.now() - started };
  }
}

describe("template limits", () => {
  it("a 100,000,000-step literal loop fails at once with the memory limit, on the synchronous send path", () => {
    const r = new TemplateRenderer();
    const run = timed(() => r.renderSync({ text: LITERAL_LOOP }, {}));
    expect(run.error).toMatchObject({ code: "NUDGE_TEMPLATE", message: expect.stringContaining("settings.templates.limits.memory") });
    expect(run.ms).toBeLessThan(QUICK_MS);
  });

  it("a loop bounded by a trait (3,000,000) fails quickly", () => {
    const r = new TemplateRenderer();
    const run = timed(() => r.renderSync({ text: TRAIT_LOOP }, { profile: { traits: { n: 3_000_000 } } }));
    expect(run.error).toMatchObject({ code: "NUDGE_TEMPLATE", message: expect.stringMatching(/settings\.templates\.limits\.(memory|renderMs)/) });
    expect(run.ms).toBeLessThan(QUICK_MS);
  });

  it("with a memory budget that allows the range, the render time limit stops the loop", () => {
    const r = new TemplateRenderer({ limits: { memory: 10_000_000, renderMs: 50 } });
    for (const [text, scope] of [
      [TRAIT_LOOP, { profile: { traits: { n: 3_000_000 } } }],
      [NESTED_LOOP, {}],
    ] as const) {
      const run = timed(() => r.renderSync({ text }, scope));
      expect(run.error).toMatchObject({ message: expect.stringContaining("render limit (50 ms): settings.templates.limits.renderMs"), details: { limit: "renderMs" } });
      expect(run.ms).toBeLessThan(QUICK_MS);
    }
  });

  it("a message whose template hits a limit ends failed with the reason, and nothing is sent", async () => {
    const nudge = await instance();
    await nudge.identify({ userId: "u1", traits: { n: 3_000_000 } });
    const started = performance.now();
    const literal = await nudge.send({ userId: "u1", idempotencyKey: "k1", channel: "sandbox", content: { text: LITERAL_LOOP } });

    await publish(nudge, { id: "j", trigger: { type: "event", event: "go" }, steps: [{ id: "s", type: "send", channel: "sandbox", content: { text: TRAIT_LOOP } }] });
    await nudge.track({ userId: "u1", event: "go" });
    await nudge.drain();
    expect(performance.now() - started).toBeLessThan(QUICK_MS * 2);

    // The reason docs/journeys.md quotes.
    const reason = "template allocated more than its memory limit (1000000): settings.templates.limits.memory";
    expect(literal).toMatchObject({ status: "failed", decisions: [expect.objectContaining({ policy: "template", outcome: "drop", reason })] });
    const { items } = await nudge.messages.list({ limit: 5 });
    expect(items).toHaveLength(2);
    for (const m of items) expect(m).toMatchObject({ status: "failed", attempts: [], decisions: [expect.objectContaining({ policy: "template", outcome: "drop", reason })] });
    expect(nudge.sandbox.list()).toEqual([]);
  });

  it("templates are checked against the instance's limits when saved", async () => {
    const nudge = await instance({ limits: { parseLength: 60 } });
    await expect(nudge.templates.put({ id: "long", channel: "sandbox", content: { text: `{{ profile.traits.name }}${"x".repeat(60)}` } })).rejects.toMatchObject({
      code: "NUDGE_VALIDATION",
      issues: [{ path: "content.text", message: "template is longer than its parse limit (60 characters): settings.templates.limits.parseLength" }],
    });
    await expect(nudge.templates.put({ id: "loop", channel: "sandbox", content: { text: "{% for i in (1..100000000) %}x{% endfor %}" } })).rejects.toMatchObject({
      issues: [{ path: "content.text", message: expect.stringContaining("settings.templates.limits.memory") }],
    });
    // Bounded by data, the same loop can only be stopped when it renders.
    await nudge.templates.put({ id: "data", channel: "sandbox", content: { text: TRAIT_LOOP } });
  });

  it("limits are per instance (workspace) and validated, naming the field", async () => {
    const strict = await instance({ limits: { memory: 1_000 } });
    const loose = await instance();
    const content = { text: "{% for i in (1..5000) %}.{% endfor %}" };
    await expect(strict.templates.put({ id: "t", channel: "sandbox", content })).rejects.toMatchObject({ code: "NUDGE_VALIDATION" });
    await loose.templates.put({ id: "t", channel: "sandbox", content });

    await expect(instance({ limits: { renderMs: 0 } })).rejects.toMatchObject({
      code: "NUDGE_PLUGIN_CONFIG",
      issues: [expect.objectContaining({ path: "settings.templates.limits.renderMs" })],
    });
  });
});
