import { IncludeTag, LayoutTag, RenderTag, toValueSync, type Template } from "liquidjs";

/** One include, render or layout tag: the partial it names, or null when the name is computed when it renders. */
interface PartialRef {
  tag: string;
  name: string | null;
  line: number;
}

function references(templates: readonly Template[]): PartialRef[] {
  const refs: PartialRef[] = [];
  const visit = (list: readonly Template[]): void => {
    for (const t of list) {
      if (t instanceof IncludeTag || t instanceof RenderTag || t instanceof LayoutTag) {
        const name = t.partialScope()?.name;
        // `{% layout none %}` names nothing; any other unnamed partial is computed when it renders.
        if (name !== undefined || !(t instanceof LayoutTag && t.file === undefined)) {
          refs.push({ tag: t.name, name: name ?? null, line: t.token.getPosition()[0] ?? 0 });
        }
      }
      // Children without partials (false): a tag's own blocks, branches and loop bodies.
      if (t.children) visit(toValueSync(t.children(false, true)));
    }
  };
  visit(templates);
  return refs;
}

/**
 * What is wrong with the partials a parsed template names: a name not in `partials`, or a name computed at
 * render time (which no save-time check could vouch for).
 */
export function partialIssues(templates: readonly Template[], partials: Readonly<Record<string, string>>): string[] {
  const known = Object.keys(partials);
  return references(templates).flatMap(({ tag, name, line }) => {
    if (name === null) return [`{% ${tag} %} needs a quoted partial name, such as {% ${tag} "footer" %} (line ${line})`];
    if (Object.hasOwn(partials, name)) return [];
    return [`unknown partial "${name}" in {% ${tag} %} (line ${line}; partials: ${known.join(", ") || "none"}, set in settings.templates.partials)`];
  });
}

/** For each partial on a cycle of includes, the cycle ("a → b → a"): it would render until the time limit. */
export function partialCycles(partials: Readonly<Record<string, string>>, parse: (text: string) => Template[]): Map<string, string> {
  const edges = new Map<string, string[]>();
  for (const [name, text] of Object.entries(partials)) {
    const names = references(parse(text)).flatMap((r) => (r.name !== null && Object.hasOwn(partials, r.name) ? [r.name] : []));
    edges.set(name, names);
  }
  const cycles = new Map<string, string>();
  const done = new Set<string>();
  const walk = (path: string[]): void => {
    const here = path.at(-1)!;
    for (const next of edges.get(here) ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) {
        const cycle = [...path.slice(at), next].join(" → ");
        for (const member of path.slice(at)) if (!cycles.has(member)) cycles.set(member, cycle);
      } else if (!done.has(next)) walk([...path, next]);
    }
    done.add(here);
  };
  for (const name of edges.keys()) if (!done.has(name)) walk([name]);
  return cycles;
}
