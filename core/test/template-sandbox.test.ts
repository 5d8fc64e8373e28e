import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { TemplateRenderer } from "../src/template/renderer.js";
import { publish } from "./helpers.js";
import { templateInstances } from "./template-instances.js";

/** A file every run has in its working directory: what `{% include %}` used to read. */
const FILE = "package.json";
const marker = (): string => (JSON.parse(readFileSync(FILE, "utf8")) as { name: string }).name;

const instance = templateInstances();

describe("templates never read files", () => {
  const r = new TemplateRenderer();
  const reads = [
    `{% include "${FILE}" %}`,
    `{% render "${FILE}" %}`,
    `{% layout "${FILE}" %}`,
    `{% include "./${FILE}" %}`,
    `{% include "${resolve(FILE)}" %}`,
    `{% include "core/../${FILE}" %}`,
    "{% include profile.traits.file %}",
  ];

  it.each(reads)("%s renders no file, even when the send path renders it unchecked", (text) => {
    expect(existsSync(FILE)).toBe(true);
    let out = "";
    try {
      out = r.renderSync({ text }, { profile: { traits: { file: FILE } } }).text;
    } catch (e) {
      expect(e).toMatchObject({ code: "NUDGE_TEMPLATE" });
    }
    expect(out).not.toContain(marker());
  });

  it.each(reads)("%s is refused when a template is saved", async (text) => {
    const nudge = await instance();
    await expect(nudge.templates.put({ id: "t", channel: "sandbox", content: { text } })).rejects.toMatchObject({
      code: "NUDGE_VALIDATION",
      issues: [{ path: "content.text", message: expect.stringMatching(/unknown partial|needs a quoted partial name/) }],
    });
    expect(await nudge.templates.get("t")).toBeNull();
  });
});

describe("partials come from settings.templates.partials", () => {
  const partials = {
    "email/footer": "— {{ profile.traits.name }}, Acme",
    card: "[{{ item }}]",
    base: "<header>{% block title %}Acme{% endblock %}</header>{% block content %}{% endblock %}",
  };

  it("include, render and layout find them by name", async () => {
    const nudge = await instance({ partials });
    await nudge.templates.put({
      id: "t",
      channel: "sandbox",
      content: { text: 'Hi {{ profile.traits.name }} {% render "card", item: event.item %} {% include "email/footer" %}' },
    });
    const preview = await nudge.templates.preview("t", { profile: { traits: { name: "Minji" } }, event: { item: "shoes" } });
    expect(preview.content).toEqual({ text: "Hi Minji [shoes] — Minji, Acme" });

    await nudge.templates.put({ id: "l", channel: "sandbox", content: { text: '{% layout "base" %}{% block content %}Sale{% endblock %}' } });
    expect((await nudge.templates.preview("l")).content).toEqual({ text: "<header>Acme</header>Sale" });
  });

  it("a journey naming a missing partial is refused when stored, naming the step and the partial", async () => {
    const nudge = await instance({ partials });
    await expect(
      publish(nudge, {
        id: "j",
        trigger: { type: "event", event: "x" },
        steps: [{ id: "s", type: "send", channel: "sandbox", content: { text: 'Hi {% include "email/foter" %}' } }],
      }),
    ).rejects.toMatchObject({
      code: "NUDGE_VALIDATION",
      issues: [{ path: "steps[0](s).content.text", message: expect.stringContaining('unknown partial "email/foter"') }],
    });
  });

  it("a partial that names a missing partial, partials in a cycle, or a bad name fail at boot naming the setting", async () => {
    await expect(instance({ partials: { header: '{% include "logo" %}' } })).rejects.toMatchObject({
      code: "NUDGE_PLUGIN_CONFIG",
      issues: [{ path: "settings.templates.partials.header", message: expect.stringContaining('unknown partial "logo"') }],
    });
    await expect(instance({ partials: { a: '{% include "b" %}', b: '{% if x %}{% render "a" %}{% endif %}', c: '{% include "a" %}' } })).rejects.toMatchObject({
      code: "NUDGE_PLUGIN_CONFIG",
      issues: [
        { path: "settings.templates.partials.a", message: "partials include each other in a cycle (a → b → a)" },
        { path: "settings.templates.partials.b", message: "partials include each other in a cycle (a → b → a)" },
      ],
    });
    await expect(instance({ partials: { "../etc/passwd": "x" } })).rejects.toMatchObject({
      code: "NUDGE_PLUGIN_CONFIG",
      issues: [expect.objectContaining({ path: expect.stringContaining("settings.templates.partials") })],
    });
  });

  it("each instance sees only its own partials", async () => {
    const a = await instance({ partials: { sig: "A team" } });
    const b = await instance();
    await a.templates.put({ id: "t", channel: "sandbox", content: { text: '{% include "sig" %}' } });
    await expect(b.templates.put({ id: "t", channel: "sandbox", content: { text: '{% include "sig" %}' } })).rejects.toMatchObject({
      issues: [{ path: "content.text", message: expect.stringContaining('unknown partial "sig"') }],
    });
  });
});
