/**
 * Most message texts are plain text with plain variables ("Hello {{ profile.traits.name }}"). liquidjs
 * renders even those through generators and a fresh render context (about 5 µs each, the costliest step
 * of a send after storage), so such a template is split once into text and variable paths and rendered
 * here, reading the scope as liquidjs does for plain data. Everything else — filters, tags, whitespace
 * control, and at render time any value that is not a string or a number or a path through anything but
 * plain objects — goes to liquidjs; a test renders both ways over the edge cases to keep them equal.
 * In HTML fields each value is escaped here as liquidjs's `outputEscape: "escape"` escapes it.
 */
export type PlainOutput = readonly (string | readonly string[])[];

const NAME = "[A-Za-z_][A-Za-z0-9_]*";
const OUTPUT = new RegExp(`\\{\\{\\s*(${NAME}(?:\\.${NAME})*)\\s*\\}\\}`, "g");

/**
 * The parts of a template made only of text and `{{ root.path }}` outputs whose root is one of `roots`
 * (so never a Liquid literal such as `nil` or `empty`); null for anything else.
 */
export function parsePlainOutput(text: string, roots: readonly string[]): PlainOutput | null {
  const parts: (string | string[])[] = [];
  let at = 0;
  for (const m of text.matchAll(OUTPUT)) {
    const path = m[1]!.split(".");
    if (!roots.includes(path[0]!)) return null;
    const literal = text.slice(at, m.index);
    if (!isLiteralText(literal)) return null;
    if (literal !== "") parts.push(literal);
    parts.push(path);
    at = m.index + m[0].length;
  }
  const rest = text.slice(at);
  if (!isLiteralText(rest)) return null;
  if (rest !== "") parts.push(rest);
  return parts;
}

/** Text liquidjs passes through as it is: no tag or output opens in it. */
function isLiteralText(s: string): boolean {
  return !s.includes("{{") && !s.includes("{%");
}

/** The rendered text, or undefined when a value needs liquidjs (see the module comment). `html` escapes every value. */
export function renderPlainOutput(parts: PlainOutput, scope: Record<string, unknown>, html = false): string | undefined {
  let out = "";
  for (const part of parts) {
    if (typeof part === "string") {
      out += part;
      continue;
    }
    let value: unknown = scope;
    for (const key of part) {
      if (!isPlainObject(value) || !Object.hasOwn(value, key)) return undefined;
      value = value[key];
    }
    if (typeof value === "string") out += html ? escapeHtml(value) : value;
    else if (typeof value === "number") out += String(value);
    else return undefined;
  }
  return out;
}

/** An object liquidjs reads by own property with nothing special: no array, no Drop, no toLiquid(). */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return (proto === Object.prototype || proto === null) && typeof (v as { toLiquid?: unknown }).toLiquid !== "function";
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;" };

/** liquidjs's `escape` filter, which cannot be called outside a render context (it charges the memory limit). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}
