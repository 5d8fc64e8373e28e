import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { storageMemory } from "@nudge/storage-memory";
import { createNudge, definePlugin, FakeClock, silentLogger, Tokens, type Channel, type Nudge } from "@nudge/core";
import { TemplateRenderer } from "../src/template/renderer.js";
import { publish } from "./helpers.js";

/** What a person typed into their name: markup that would restyle or phish inside an HTML body. */
const HOSTILE = `</p><h1>Your account is locked</h1><a href="https://evil.example/login">Unlock</a>`;
const ESCAPED = "&lt;/p&gt;&lt;h1&gt;Your account is locked&lt;/h1&gt;&lt;a href=&#34;https://evil.example/login&#34;&gt;Unlock&lt;/a&gt;";

/** A channel with one HTML field (`body`) and plain ones (`title`, `text`); what it was asked to send is kept. */
function htmlChannel(sent: Record<string, unknown>[]) {
  return definePlugin({
    id: "channel-page",
    kind: "channel",
    configSchema: z.object({}),
    register(ctx) {
      const channel: Channel<Record<string, unknown>> = {
        id: "page",
        providers: ["test"],
        contentSchema: z.record(z.string(), z.unknown()),
        htmlFields: ["body"],
        address: (p) => p.userId,
        async send(m) {
          sent.push(m.content);
          return { providerMessageId: m.context.messageId };
        },
      };
      ctx.registerInstance(Tokens.Channel, channel as Channel);
    },
  })();
}

const opened: Nudge[] = [];
afterEach(async () => {
  for (const n of opened.splice(0)) await n.stop();
});

async function instance(sent: Record<string, unknown>[]): Promise<Nudge> {
  const nudge = await createNudge({
    workspace: "acme",
    plugins: [storageMemory(), htmlChannel(sent)],
    logger: silentLogger(),
    clock: new FakeClock("2026-03-02T01:00:00Z"),
    settings: { templates: { partials: { greeting: "<p>Hi {{ profile.traits.name }}</p>" } } },
    simulation: { storage: () => storageMemory() },
  });
  opened.push(nudge);
  await nudge.start();
  return nudge;
}

const content = {
  title: "Hi {{ profile.traits.name }}",
  text: "Hi {{ profile.traits.name }}",
  body: '<p>Hi {{ profile.traits.name }}</p>{% include "greeting" %}<div>{{ vars.banner | raw }}</div>',
};

describe("HTML fields escape every output", () => {
  it("escapes variables in the channel's HTML fields only; `| raw` opts out", async () => {
    const sent: Record<string, unknown>[] = [];
    const nudge = await instance(sent);
    await nudge.identify({ userId: "u1", traits: { name: HOSTILE } });
    await nudge.send({ userId: "u1", idempotencyKey: "k", channel: "page", content, vars: { banner: "<b>Sale</b>" } });
    expect(sent).toEqual([{ title: `Hi ${HOSTILE}`, text: `Hi ${HOSTILE}`, body: `<p>Hi ${ESCAPED}</p><p>Hi ${ESCAPED}</p><div><b>Sale</b></div>` }]);
  });

  it("stored templates, previews and simulations escape the same way", async () => {
    const sent: Record<string, unknown>[] = [];
    const nudge = await instance(sent);
    await nudge.templates.put({ id: "t", channel: "page", content });
    const preview = await nudge.templates.preview("t", { profile: { traits: { name: HOSTILE } }, vars: { banner: "<b>Sale</b>" } });
    expect(preview.content).toMatchObject({ text: `Hi ${HOSTILE}`, body: `<p>Hi ${ESCAPED}</p><p>Hi ${ESCAPED}</p><div><b>Sale</b></div>` });

    const journey = { id: "j", trigger: { type: "event" as const, event: "go" }, steps: [{ id: "s", type: "send" as const, channel: "page", template: "t" }] };
    await publish(nudge, journey);
    await nudge.identify({ userId: "u1", traits: { name: HOSTILE } });
    await nudge.track({ userId: "u1", event: "go" });
    await nudge.drain();
    expect(sent).toEqual([expect.objectContaining({ title: `Hi ${HOSTILE}`, body: expect.stringContaining(`<p>Hi ${ESCAPED}</p>`) })]);

    const inline = { ...journey, id: "k", steps: [{ id: "s", type: "send" as const, channel: "page", content }] };
    const sim = await nudge.simulate(inline, { profile: { userId: "sim", traits: { name: HOSTILE } }, events: [{ at: "2026-03-02T01:00:00Z", name: "go" }] });
    expect(sim.messages[0]?.content).toMatchObject({ title: `Hi ${HOSTILE}`, body: expect.stringContaining(`<p>Hi ${ESCAPED}</p>`) });
  });

  it("`| escape` is not escaped twice, `raw` counts only as the last filter, a capture is escaped once", () => {
    const r = new TemplateRenderer();
    const scope = { vars: { v: "<b>&" } };
    const body = [
      "{{ vars.v | escape }}",
      "{{ vars.v | escape_once }}",
      "{{ vars.v | raw | upcase }}",
      "{{ vars.v | upcase | raw }}",
      "{% echo vars.v %}",
      "{% capture c %}<i>{{ vars.v }}</i>{% endcapture %}{{ c | raw }}",
    ].join("|");
    const out = r.renderSync({ body, text: "{{ vars.v }}" }, scope, ["body"]);
    expect(out).toEqual({ body: "&lt;b&gt;&amp;|&lt;b&gt;&amp;|&lt;B&gt;&amp;|<B>&|&lt;b&gt;&amp;|<i>&lt;b&gt;&amp;</i>", text: "<b>&" });
  });
});
