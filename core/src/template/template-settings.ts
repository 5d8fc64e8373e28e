import { z } from "zod";

/** Path segments of letters, digits, `_`, `-` and `.` (never starting with a dot, so never `..`), joined by `/`. */
const SEGMENT = "[A-Za-z0-9_-][A-Za-z0-9_.-]*";

/** The name `{% include "name" %}`, `{% render "name" %}` and `{% layout "name" %}` use. */
export const PartialName = z
  .string()
  .max(200)
  .regex(new RegExp(`^${SEGMENT}(?:/${SEGMENT})*$`), 'letters, digits, "_", "-" and "." in segments joined by "/" (e.g. "email/footer")');

/**
 * liquidjs's DoS limits (https://liquidjs.com/tutorials/dos), applied to each string field of a
 * content object on its own: every field gets the full budget.
 */
export const TemplateLimits = z.object({
  /**
   * Wall-clock milliseconds one field may take to render. Rendering is synchronous on the send path, so this is
   * also the longest a template can hold up the process.
   */
  renderMs: z.number().int().positive().max(60_000).default(100),
  /**
   * liquidjs's allocation budget per render: range elements, string lengths built by filters (append, replace,
   * join …), array sizes. `(1..100000000)` alone asks for 100,000,000; a range is built before any time check,
   * so this also bounds how long one can take (a million elements: tens of milliseconds).
   */
  memory: z.number().int().positive().default(1_000_000),
  /** Characters one field's template may have (5 × the 102 kB at which Gmail clips a message). */
  parseLength: z.number().int().positive().default(500_000),
});
export type TemplateLimits = z.infer<typeof TemplateLimits>;

/** `settings.templates` of createNudge: limits, and the partials templates may include. */
export const TemplateSettings = z.object({
  limits: TemplateLimits.prefault({}),
  /**
   * The only templates `{% include %}`, `{% render %}` and `{% layout %}` can reach, by name. Templates never
   * read files: a name not in this map is refused when a template is saved or a journey is stored.
   */
  partials: z.record(PartialName, z.string()).default({}),
});
export type TemplateSettings = z.infer<typeof TemplateSettings>;
export type TemplateSettingsInput = z.input<typeof TemplateSettings>;
