import type { FieldIssue } from "../errors.js";
import { LiquidEngine, limitOf } from "./liquid-engine.js";
import { partialCycles, partialIssues } from "./partial-refs.js";
import { parsePlainOutput, renderPlainOutput, type PlainOutput } from "./plain-output.js";
import { TemplateAbort } from "./template-abort.js";
import { TemplateSettings, type TemplateSettingsInput } from "./template-settings.js";

export { LIQUID_OPTIONS } from "./liquid-engine.js";
export { TemplateAbort } from "./template-abort.js";

/** The names a template may start a variable with. Anything else is a typo, caught at definition time. */
export const TEMPLATE_ROOTS = ["profile", "event", "journey", "vars", "now", "message", "links"] as const;

export interface TemplateScope {
  profile?: Record<string, unknown>;
  event?: Record<string, unknown>;
  journey?: Record<string, unknown>;
  vars?: Record<string, unknown>;
  now?: string;
  message?: Record<string, unknown>;
  links?: Record<string, unknown>;
}

/**
 * Liquid (liquidjs) over content objects: every string field of a channel's content is a template.
 * Unknown filters, unknown variable roots, unknown partials and templates over the limits are rejected when
 * a definition is checked, not at send time. The top-level fields a channel names as HTML (`Channel.htmlFields`)
 * are rendered with every output escaped (`| raw` as the last filter opts out); the others as plain text.
 */
export class TemplateRenderer {
  private readonly settings: TemplateSettings;
  private readonly text: LiquidEngine;
  private readonly html: LiquidEngine;
  /** Per source text: its plain form (see plain-output.ts), or null when only liquidjs renders it. */
  private readonly plain = new Map<string, PlainOutput | null>();

  constructor(settings: TemplateSettingsInput = {}) {
    this.settings = TemplateSettings.parse(settings);
    this.text = new LiquidEngine(this.settings, false);
    this.html = new LiquidEngine(this.settings, true);
  }

  /** Boot-time check of the settings' partials: each parses within the parse limit, names only partials that exist, and none includes itself. */
  checkPartials(path = "settings.templates.partials"): FieldIssue[] {
    const issues: FieldIssue[] = [];
    const partials = this.settings.partials;
    for (const [name, text] of Object.entries(partials)) {
      try {
        for (const message of partialIssues(this.text.parse(text), partials)) issues.push({ path: `${path}.${name}`, message });
      } catch (e) {
        issues.push({ path: `${path}.${name}`, message: this.parseProblem(e) });
      }
    }
    if (issues.length > 0) return issues;
    for (const [name, cycle] of partialCycles(partials, (t) => this.text.parse(t))) {
      issues.push({ path: `${path}.${name}`, message: `partials include each other in a cycle (${cycle})` });
    }
    return issues;
  }

  /**
   * Definition-time check of every string field; issues name the field. Besides parsing, partials and variable
   * roots, each field renders once with no data: what exceeds the memory limit then (a literal `(1..100000000)`)
   * always will.
   */
  check(content: unknown, path = "content"): FieldIssue[] {
    const issues: FieldIssue[] = [];
    walkStrings(content, path, (text, at) => {
      if (!text.includes("{")) return;
      const problems = this.checkText(text);
      for (const message of problems) issues.push({ path: at, message });
    });
    return issues;
  }

  /** Renders every string field; `htmlFields` are escaped. Throws TemplateAbort for `{% abort %}`, TemplateError otherwise. */
  async render<T>(content: T, scope: TemplateScope, htmlFields?: readonly string[]): Promise<T> {
    return this.renderSync(content, scope, htmlFields);
  }

  /** `render` without the promise, for callers on the send path (no filter or tag here does I/O). */
  renderSync<T>(content: T, scope: TemplateScope, htmlFields?: readonly string[]): T {
    const s = scope as Record<string, unknown>;
    if (htmlFields === undefined || htmlFields.length === 0 || content === null || typeof content !== "object" || Array.isArray(content)) {
      return this.renderValue(content, s, this.text) as T;
    }
    const out: Record<string, unknown> = {};
    for (const k in content) {
      if (Object.hasOwn(content, k)) out[k] = this.renderValue(content[k], s, htmlFields.includes(k) ? this.html : this.text);
    }
    return out as T;
  }

  async renderString(text: string, scope: TemplateScope): Promise<string> {
    return this.renderText(text, scope as Record<string, unknown>, this.text);
  }

  private checkText(text: string): string[] {
    try {
      const tpl = this.text.parse(text);
      const partials = partialIssues(tpl, this.settings.partials);
      if (partials.length > 0) return partials;
      const issues: string[] = [];
      for (const name of this.text.liquid.globalVariablesSync(tpl)) {
        if (!(TEMPLATE_ROOTS as readonly string[]).includes(name)) {
          issues.push(`unknown variable "${name}" (use one of: ${TEMPLATE_ROOTS.join(", ")})`);
        }
      }
      if (issues.length === 0) this.tryRender(text, issues);
      return issues;
    } catch (e) {
      return [this.parseProblem(e)];
    }
  }

  /**
   * Renders with no data; only the memory limit counts. Anything else may depend on the data a send brings,
   * and the time limit on how busy the machine is: a template is not refused for a slow moment.
   */
  private tryRender(text: string, issues: string[]): void {
    try {
      this.text.render(text, {});
    } catch (e) {
      if (!(e instanceof TemplateAbort) && limitOf(e) === "memory") issues.push((e as Error).message);
    }
  }

  private parseProblem(e: unknown): string {
    if (limitOf(e) === "parseLength") return this.text.limitError("parseLength", e).message;
    return e instanceof Error ? e.message.split("\n")[0]! : String(e);
  }

  // Rendering runs synchronously (liquidjs renderSync): scopes are plain data and no filter or tag here
  // does I/O, so the async renderer would only add a promise per template node.
  private renderText(text: string, scope: Record<string, unknown>, engine: LiquidEngine): string {
    if (!text.includes("{")) return text;
    const plain = text.length <= this.settings.limits.parseLength ? this.plainOf(text) : null;
    if (plain) {
      const out = renderPlainOutput(plain, scope, engine.html);
      if (out !== undefined) return out;
    }
    return engine.render(text, scope);
  }

  private renderValue(value: unknown, scope: Record<string, unknown>, engine: LiquidEngine): unknown {
    if (typeof value === "string") return this.renderText(value, scope, engine);
    if (Array.isArray(value)) return value.map((v) => this.renderValue(v, scope, engine));
    if (value !== null && typeof value === "object") {
      const out: Record<string, unknown> = {};
      // for-in over own keys: Object.entries would build an array of pairs per object rendered.
      for (const k in value) if (Object.hasOwn(value, k)) out[k] = this.renderValue((value as Record<string, unknown>)[k], scope, engine);
      return out;
    }
    return value;
  }

  private plainOf(text: string): PlainOutput | null {
    let plain = this.plain.get(text);
    if (plain === undefined) {
      plain = parsePlainOutput(text, TEMPLATE_ROOTS);
      if (this.plain.size > 5000) this.plain.clear();
      this.plain.set(text, plain);
    }
    return plain;
  }
}

function walkStrings(value: unknown, path: string, visit: (text: string, path: string) => void): void {
  if (typeof value === "string") visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, `${path}[${i}]`, visit));
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) walkStrings(v, `${path}.${k}`, visit);
  }
}
