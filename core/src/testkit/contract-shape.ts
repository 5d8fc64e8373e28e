/**
 * A request shape taken from a vendor's documentation: every key the vendor shows, `!` on the ones it
 * requires, a one-element list for "a list of these". Fake servers check bodies against such shapes.
 */
export type Shape = { [key: string]: Shape | Shape[] | "string" | "number" | "boolean" };

function check(value: unknown, shape: Shape | Shape[] | string, path: string, out: string[]): void {
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) return void out.push(`${path} must be a list`);
    value.forEach((v, i) => check(v, shape[0]!, `${path}[${i}]`, out));
    return;
  }
  if (typeof shape === "string") {
    if (typeof value !== shape) out.push(`${path} must be a ${shape}`);
    return;
  }
  if (typeof value !== "object" || value === null) return void out.push(`${path} must be an object`);
  const keys = new Map(Object.keys(shape).map((k) => [k.replace(/!$/, ""), k]));
  for (const [name, key] of keys) {
    if (key.endsWith("!") && (value as Record<string, unknown>)[name] === undefined) out.push(`${path}.${name} is required`);
  }
  for (const [name, v] of Object.entries(value)) {
    const key = keys.get(name);
    if (key === undefined) out.push(`${path}.${name} is not a documented field`);
    else check(v, shape[key]!, `${path}.${name}`, out);
  }
}

/** Problems of `value` against `shape`: missing required keys, undocumented keys, wrong types. */
export function shapeProblems(value: unknown, shape: Shape, path: string): string[] {
  const out: string[] = [];
  check(value, shape, path, out);
  return out;
}
