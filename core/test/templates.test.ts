import { describe, expect, it } from "vitest";
import { TemplateAbort, TemplateRenderer } from "../src/template/renderer.js";
import { makeNudge, publish } from "./helpers.js";

describe("templates (liquidjs)", () => {
  const r = new TemplateRenderer();

  it("renders traits, event properties and the default filter over a content object", async () => {
    const out = await r.render(
      { text: "{{ profile.traits.name | default: '고객' }}님, {{ event.properties.item }} 장바구니", buttons: [{ name: "{{ event.properties.item | upcase }}" }] },
      { profile: { traits: {} }, event: { properties: { item: "shoes" } } },
    );
    expect(out).toEqual({ text: "고객님, shoes 장바구니", buttons: [{ name: "SHOES" }] });
  });

  it("rejects unknown filters and unknown variable roots at definition time, naming the field", () => {
    expect(r.check({ text: "{{ profile.traits.name | shout }}" })).toEqual([{ path: "content.text", message: expect.stringContaining("undefined filter: shout") }]);
    expect(r.check({ title: "ok", body: "Hi {{ usr.name }}" })).toEqual([{ path: "content.body", message: expect.stringContaining('unknown variable "usr"') }]);
    expect(r.check({ text: "{% for i in event.properties.items %}{{ i.name }}{% endfor %}" })).toEqual([]);
  });

  it("aborts a send from the template with a reason", async () => {
    await expect(r.render({ text: "{% if event.properties.stock == 0 %}{% abort 'out of stock' %}{% endif %}buy" }, { event: { properties: { stock: 0 } } })).rejects.toEqual(
      new TemplateAbort("out of stock"),
    );
  });

  it("a journey with a bad template is refused when it is defined", async () => {
    const { nudge } = await makeNudge();
    await nudge.start();
    await expect(
      publish(nudge, { id: "j", trigger: { type: "event", event: "x" }, steps: [{ id: "s", type: "send", channel: "sandbox", content: { text: "{{ profile.name | nope }}" } }] }),
    ).rejects.toMatchObject({ code: "NUDGE_VALIDATION", issues: [expect.objectContaining({ path: "steps[0](s).content.text" })] });
    await nudge.stop();
  });

  it("an aborted message is recorded as aborted with its reason and sends nothing", async () => {
    const { nudge } = await makeNudge();
    await nudge.start();
    await publish(nudge, {
      id: "j",
      trigger: { type: "event", event: "viewed" },
      steps: [{ id: "s", type: "send", channel: "sandbox", content: { text: "{% if event.properties.stock < 1 %}{% abort 'sold out' %}{% endif %}Back in stock" } }],
    });
    await nudge.track({ userId: "u", event: "viewed", properties: { stock: 0 } });
    await nudge.drain();
    expect(nudge.sandbox.list()).toEqual([]);
    const { items } = await nudge.messages.list({ limit: 5 });
    expect(items[0]).toMatchObject({ status: "aborted", decisions: [expect.objectContaining({ policy: "template", outcome: "abort", reason: "sold out" })] });
    await nudge.stop();
  });
});
