import { Liquid, Value, type Template } from "liquidjs";
import type { FieldIssue } from "../errors.js";
import { TemplateError } from "../errors.js";
import { parsePlainOutput, renderPlainOutput, type PlainOutput } from "./plain-output.js";

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

/** Thrown when a template runs `{% abort "reason" %}`: the send is cancelled, costing nothing. */
export class TemplateAbort extends Error {
  constructor(readonly reason: string) {
    super(`template aborted: ${reason}`);
  }
}

/** How Nudge runs liquidjs (tests render through liquidjs alone with these to compare). */
export const LIQUID_OPTIONS = { strictFilters: true, strictVariables: false, ownPropertyOnly: true, jsTruthy: false } as const;

/**
 * Liquid (liquidjs) over content objects: every string field of a channel's content is a template.
 * Unknown filters and unknown variable roots are rejected when a definition is checked, not at send time.
 */
export class TemplateRenderer {
  private readonly liquid: Liquid;
  private readonly cache = new Map<string, Template[]>();
  /** Per source text: its plain form (see plain-output.ts), or null when only liquidjs renders it. */
  private readonly plain = new Map<string, PlainOutput | null>();

  constructor() {
    this.liquid = new Liquid({ ...LIQUID_OPTIONS });
    this.liquid.registerTag("abort", {
      parse(token) {
        // A Value evaluates as a generator, so the tag works in renderSync (evalValue would yield a promise).
        this["reason"] = new Value(token.args, this.liquid);
      },
      *render(ctx) {
        const value: unknown = yield (this["reason"] as Value).value(ctx);
        throw new TemplateAbort(String(value ?? "aborted"));
      },
    });
  }

  /** Definition-time check of every string field; issues name the field. */
  check(content: unknown, path = "content"): FieldIssue[] {
    const issues: FieldIssue[] = [];
    walkStrings(content, path, (text, at) => {
      if (!text.includes("{")) return;
      try {
        const tpl = this.parse(text);
        for (const name of this.liquid.globalVariablesSync(tpl)) {
          if (!(TEMPLATE_ROOTS as readonly string[]).includes(name)) {
            issues.push({ path: at, message: `unknown variable "${name}" (use one of: ${TEMPLATE_ROOTS.join(", ")})` });
          }
        }
      } catch (e) {
        issues.push({ path: at, message: e instanceof Error ? e.message.split("\n")[0]! : String(e) });
      }
    });
    return issues;
  }

  /** Renders every string field. Throws TemplateAbort for `{% abort %}`, TemplateError otherwise. */
  async render<T>(content: T, scope: TemplateScope): Promise<T> {
    return this.renderSync(content, scope);
  }

  /** `render` without the promise, for callers on the send path (no filter or tag here does I/O). */
  renderSync<T>(content: T, scope: TemplateScope): T {
    return this.renderValue(content, scope as Record<string, unknown>) as T;
  }

  async renderString(text: string, scope: TemplateScope): Promise<string> {
    return this.renderText(text, scope as Record<string, unknown>);
  }

  // Rendering runs synchronously (liquidjs renderSync): scopes are plain data and no filter or tag here
  // does I/O, so the async renderer would only add a promise per template node.
  private renderText(text: string, scope: Record<string, unknown>): string {
    if (!text.includes("{")) return text;
    const plain = this.plainOf(text);
    if (plain) {
      const out = renderPlainOutput(plain, scope);
      if (out !== undefined) return out;
    }
    try {
      return String(this.liquid.renderSync(this.parse(text), scope));
    } catch (e) {
      const abort = findAbort(e);
      if (abort) throw abort;
      throw new TemplateError(`template failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }

  private renderValue(value: unknown, scope: Record<string, unknown>): unknown {
    if (typeof value === "string") return this.renderText(value, scope);
    if (Array.isArray(value)) return value.map((v) => this.renderValue(v, scope));
    if (value !== null && typeof value === "object") {
      const out: Record<string, unknown> = {};
      // for-in over own keys: Object.entries would build an array of pairs per object rendered.
      for (const k in value) if (Object.hasOwn(value, k)) out[k] = this.renderValue((value as Record<string, unknown>)[k], scope);
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

  private parse(text: string): Template[] {
    let tpl = this.cache.get(text);
    if (!tpl) {
      tpl = this.liquid.parse(text);
      if (this.cache.size > 5000) this.cache.clear();
      this.cache.set(text, tpl);
    }
    return tpl;
  }
}

function findAbort(e: unknown): TemplateAbort | null {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur; i++) {
    if (cur instanceof TemplateAbort) return cur;
    const next = (cur as { originalError?: unknown; cause?: unknown }).originalError ?? (cur as { cause?: unknown }).cause;
    cur = next;
  }
  return null;
}

function walkStrings(value: unknown, path: string, visit: (text: string, path: string) => void): void {
  if (typeof value === "string") visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, `${path}[${i}]`, visit));
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) walkStrings(v, `${path}.${k}`, visit);
  }
}
