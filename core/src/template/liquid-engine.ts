import { filters, Liquid, Value, type Template } from "liquidjs";
import { TemplateError } from "../errors.js";
import { TemplateAbort } from "./template-abort.js";
import type { TemplateSettings } from "./template-settings.js";

/** How Nudge runs liquidjs (tests render through liquidjs alone with these to compare). */
export const LIQUID_OPTIONS = { strictFilters: true, strictVariables: false, ownPropertyOnly: true, jsTruthy: false } as const;

/**
 * One liquidjs instance as Nudge configures it: no file system (partials come from the settings' map),
 * the settings' limits, `{% abort %}`, and, for HTML fields, every output escaped unless its last filter is
 * `raw`. Parsed templates are cached by source text.
 */
export class LiquidEngine {
  readonly liquid: Liquid;
  private readonly cache = new Map<string, Template[]>();

  constructor(
    private readonly settings: TemplateSettings,
    readonly html: boolean,
  ) {
    const { limits } = settings;
    this.liquid = new Liquid({
      ...LIQUID_OPTIONS,
      // An in-memory map replaces the file system for include, render and layout: no name reaches a file
      // (`templates`, https://liquidjs.com/tutorials/options). Null prototype: "constructor" is no partial.
      templates: Object.assign(Object.create(null) as Record<string, string>, settings.partials),
      // Partials are fixed at boot, so their parsed form can be kept (liquidjs's LRU of 1024).
      cache: true,
      // https://liquidjs.com/tutorials/dos
      parseLimit: limits.parseLength,
      renderLimit: limits.renderMs,
      memoryLimit: limits.memory,
      ...(html ? { outputEscape: "escape" as const } : {}),
    });
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
    if (html) {
      // Their output is already escaped: marked raw, outputEscape does not escape it a second time.
      for (const name of ["escape", "escape_once"]) {
        const impl = filters[name]!;
        this.liquid.registerFilter(name, { handler: typeof impl === "function" ? impl : impl.handler, raw: true });
      }
    }
  }

  /** The parsed template; throws liquidjs's error (a syntax error, the parse limit). */
  parse(text: string): Template[] {
    let tpl = this.cache.get(text);
    if (!tpl) {
      tpl = this.liquid.parse(text);
      if (this.cache.size > 5000) this.cache.clear();
      this.cache.set(text, tpl);
    }
    return tpl;
  }

  /** Renders one source text. Throws TemplateAbort for `{% abort %}`, TemplateError otherwise (a limit names its setting). */
  render(text: string, scope: Record<string, unknown>): string {
    if (text.length > this.settings.limits.parseLength) throw this.limitError("parseLength", null);
    try {
      return String(this.liquid.renderSync(this.parse(text), scope));
    } catch (e) {
      const abort = findInChain(e, (c): c is TemplateAbort => c instanceof TemplateAbort);
      if (abort) throw abort;
      const limit = limitOf(e);
      if (limit) throw this.limitError(limit, e);
      throw new TemplateError(`template failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }

  /** The error for a template that hit one of the limits, naming the setting to raise. */
  limitError(limit: keyof TemplateSettings["limits"], cause: unknown): TemplateError {
    const value = this.settings.limits[limit];
    const what = {
      renderMs: `took longer than its render limit (${value} ms)`,
      memory: `allocated more than its memory limit (${value})`,
      parseLength: `is longer than its parse limit (${value} characters)`,
    }[limit];
    return new TemplateError(`template ${what}: settings.templates.limits.${limit}`, { cause, details: { limit, value } });
  }
}

const LIMITS = { "template render": "renderMs", "memory alloc": "memory", "parse length": "parseLength" } as const;

/** Which limit liquidjs's error reports ("<resource> limit exceeded", from its Limiter), if any. */
export function limitOf(e: unknown): keyof TemplateSettings["limits"] | null {
  const hit = findInChain(e, (c): c is Error => c instanceof Error && / limit exceeded/.test(c.message));
  const m = hit ? /(template render|memory alloc|parse length) limit exceeded/.exec(hit.message) : null;
  return m ? LIMITS[m[1] as keyof typeof LIMITS] : null;
}

function findInChain<T>(e: unknown, is: (c: unknown) => c is T): T | null {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur; i++) {
    if (is(cur)) return cur;
    cur = (cur as { originalError?: unknown }).originalError ?? (cur as { cause?: unknown }).cause;
  }
  return null;
}
