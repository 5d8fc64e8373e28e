import { Liquid } from "liquidjs";
import { describe, expect, it } from "vitest";
import { TemplateRenderer } from "../src/template/renderer.js";
import { LIQUID_OPTIONS, TEMPLATE_ROOTS } from "../src/template/renderer.js";
import { parsePlainOutput } from "../src/template/plain-output.js";

class Money {
  constructor(readonly amount: number) {}
}
const withToLiquid = { toLiquid: () => ({ name: "from toLiquid" }), name: "own" };
const inherited = Object.create({ name: "inherited" }) as Record<string, unknown>;
const nullProto = Object.assign(Object.create(null) as Record<string, unknown>, { name: "null-proto" });

/** Values a profile's traits or an event's properties may hold, ordinary and odd. */
const traits: Record<string, unknown> = {
  name: "김민지",
  markup: `</p><h1 class="x">Tom & 'Jerry'</h1>`,
  empty: "",
  count: 3,
  price: 19.9,
  negative: -0,
  huge: 1e21,
  nan: Number.NaN,
  yes: true,
  nothing: null,
  unset: undefined,
  list: ["a", "b"],
  nested: { deeper: { leaf: "leaf" }, size: "own size", first: "own first" },
  obj: { a: 1 },
  fn: () => "called",
  money: new Money(5),
  withToLiquid,
  inherited,
  nullProto,
  "with-dash": "dash",
};

const sources = [
  "Hello {{ profile.traits.name }}!",
  "<p>{{ profile.traits.markup }}</p> {{ profile.traits.count }}",
  "{{ profile.traits.markup | raw }} {{ profile.traits.markup | upcase }}",
  "{{profile.traits.name}}{{ profile.traits.count }}",
  "{{   profile.traits.price   }} 원, {{ profile.traits.negative }} {{ profile.traits.huge }} {{ profile.traits.nan }}",
  "[{{ profile.traits.empty }}] [{{ profile.traits.missing }}] [{{ profile.missing.deeper }}] [{{ vars.x }}]",
  "{{ profile.traits.yes }} {{ profile.traits.nothing }} {{ profile.traits.unset }}",
  "{{ profile.traits.list }} {{ profile.traits.list.first }} {{ profile.traits.list.size }}",
  "{{ profile.traits.name.size }} {{ profile.traits.name.first }}",
  "{{ profile.traits.nested.deeper.leaf }} {{ profile.traits.nested.size }} {{ profile.traits.nested.first }} {{ profile.traits.nested.last }}",
  "{{ profile.traits.obj }} {{ profile.traits.obj.size }} {{ profile.traits.fn }} {{ profile.traits.money.amount }}",
  "{{ profile.traits.withToLiquid.name }} {{ profile.traits.inherited.name }} {{ profile.traits.nullProto.name }}",
  "{{ profile.traits.constructor }} {{ profile.traits.toString }} {{ profile.traits.hasOwnProperty }}",
  "{{ profile.traits.with-dash }} {{ profile.traits['name'] }} {{ profile.traits.name | upcase }}",
  "{{- profile.traits.name -}} and {%- if profile.traits.yes %}yes{% endif %}",
  "a { b } c }} {{ now }} {% raw %}{{ x }}{% endraw %}",
  "{{ nil }} {{ empty }} {{ true }} {{ blank }}",
  "(광고) {{ event.properties.item }} 무료수신거부 080-000-0000",
];

const scopes: Record<string, unknown>[] = [
  { profile: { id: "p1", traits }, event: { properties: { item: "신발" } }, now: "2026-03-02T03:00:00.000Z" },
  { profile: { id: "p2", traits: {} } },
  { profile: null, event: { properties: null } },
  {},
];

describe("plain templates render like liquidjs", () => {
  const liquid = new Liquid({ ...LIQUID_OPTIONS });

  it("takes the plain path only for text with plain variables under a known root", () => {
    expect(parsePlainOutput("Hi {{ profile.traits.name }}, {{vars.code}}", TEMPLATE_ROOTS)).toEqual(["Hi ", ["profile", "traits", "name"], ", ", ["vars", "code"]]);
    for (const s of ["{{ nil }}", "{{ user.name }}", "{{ profile.name | upcase }}", "{{- profile.name }}", "{% if x %}{% endif %}", "{{ profile['name'] }}", "{{ profile.name", "{{ profile.a-b }}"]) {
      expect(parsePlainOutput(s, TEMPLATE_ROOTS)).toBeNull();
    }
  });

  it.each(sources)("%s", async (source) => {
    const renderer = new TemplateRenderer();
    for (const scope of scopes) {
      let expected: string;
      try {
        expected = String(liquid.parseAndRenderSync(source, scope));
      } catch {
        await expect(renderer.renderString(source, scope)).rejects.toThrow();
        continue;
      }
      // Twice: the second render uses the cached parse.
      expect(await renderer.renderString(source, scope)).toBe(expected);
      expect(await renderer.renderString(source, scope)).toBe(expected);
    }
  });

  const escaping = new Liquid({ ...LIQUID_OPTIONS, outputEscape: "escape" });

  it.each(sources)("as an HTML field: %s", (source) => {
    const renderer = new TemplateRenderer();
    for (const scope of scopes) {
      let expected: string;
      try {
        expected = String(escaping.parseAndRenderSync(source, scope));
      } catch {
        expect(() => renderer.renderSync({ html: source }, scope, ["html"])).toThrow();
        continue;
      }
      expect(renderer.renderSync({ html: source, text: source }, scope, ["html"]).html).toBe(expected);
      expect(renderer.renderSync({ html: source }, scope, ["html"]).html).toBe(expected);
    }
  });

  it("a renderer caches by source text: a changed template renders its new text", async () => {
    const renderer = new TemplateRenderer();
    const scope = { profile: { traits: { name: "Ann" } } };
    expect(await renderer.render({ text: "Hi {{ profile.traits.name }}" }, scope)).toEqual({ text: "Hi Ann" });
    expect(await renderer.render({ text: "Bye {{ profile.traits.name }}" }, scope)).toEqual({ text: "Bye Ann" });
    expect(await renderer.render({ text: "Hi {{ profile.traits.name | upcase }}" }, scope)).toEqual({ text: "Hi ANN" });
  });
});
