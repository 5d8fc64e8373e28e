import { z } from "zod";
import { SegmentCondition } from "@nudge/core";
import { ProblemDetails } from "./problem.js";
import type { BodySpec, RouteSpec } from "./route-spec.js";

type Json = Record<string, unknown>;
type Registry = ReturnType<typeof z.registry<{ id: string }>>;

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** `post /v1/journeys/:id/publish` -> `postV1JourneysByIdPublish`. */
export function operationId(route: Pick<RouteSpec, "method" | "path">): string {
  const parts = route.path.split("/").filter(Boolean).map((p) => (p.startsWith(":") ? `By${cap(p.slice(1))}` : cap(p.replace(/[^A-Za-z0-9]/g, ""))));
  return route.method + parts.join("");
}

function named(registry: Registry, schema: z.ZodType, id: string): string {
  if (!registry.has(schema)) registry.add(schema, { id });
  return registry.get(schema)!.id;
}

/** Path or query parameters from a zod object, through the same JSON Schema conversion as bodies. */
function parameters(schema: z.ZodType | undefined, where: "path" | "query"): Json[] {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === "path" || (json.required ?? []).includes(name),
    schema: s,
  }));
}

function requestBody(body: BodySpec<unknown> | undefined, registry: Registry, id: string): Json | undefined {
  if (!body) return undefined;
  if (body.kind === "raw") return { required: false, content: { "*/*": { schema: {} } } };
  const type = body.kind === "json" ? "application/json" : "application/x-www-form-urlencoded";
  const schema = body.kind === "json" ? (body.documented ?? body.schema) : body.schema;
  return { required: true, content: { [type]: { schema: ref(named(registry, schema, id)) } } };
}

/** The answers every route may give besides its own: auth, limits, bodies, validation. */
function standardErrors(route: RouteSpec): Record<number, string> {
  const out: Record<number, string> = {};
  if (route.params || route.query || route.body?.kind === "json" || route.body?.kind === "form") out[400] = "Invalid request: `errors` names every bad field";
  if (route.access !== "public") Object.assign(out, { 401: "Missing or unknown API key", 403: `The key lacks the "${route.access}" scope` });
  if (route.body) out[413] = "Body over the limit";
  if (route.body?.kind === "json" || route.body?.kind === "form") out[415] = "Wrong content type";
  if (route.access !== "public" || route.publicLimit !== false) out[429] = "Rate limited: see Retry-After";
  if (route.access !== "public") out[503] = "Storage unavailable or the instance is stopping: see Retry-After";
  return out;
}

/**
 * Components from one registry conversion. zod puts schemas that are recursive or reused, but not
 * registered, in a "__shared" document with `$defs`; OpenAPI cannot point into a fragment of a
 * fragment, so each of those becomes a component of its own (prefixed per conversion) and refs follow.
 */
function components(schemas: Record<string, Json>, prefix: string): Record<string, Json> {
  const { __shared: shared, ...named } = schemas;
  const defs = ((shared as { $defs?: Record<string, Json> } | undefined)?.$defs ?? {}) as Record<string, Json>;
  const all: Record<string, Json> = { ...named };
  for (const [name, def] of Object.entries(defs)) all[`${prefix}${cap(name)}`] = def;
  const text = JSON.stringify(all).replace(/#\/components\/schemas\/__shared#\/\$defs\/([A-Za-z0-9_]+)/g, (_m, name: string) => `#/components/schemas/${prefix}${cap(name)}`);
  const out = JSON.parse(text) as Record<string, Json>;
  return Object.fromEntries(Object.entries(out).map(([id, { $schema: _s, $id: _i, ...rest }]) => [id, rest]));
}

/**
 * The OpenAPI 3.1 document of a router, generated from the route list: the zod schemas that validate
 * requests are converted with zod's own z.toJSONSchema (JSON Schema 2020-12, which OpenAPI 3.1 uses).
 */
export function buildOpenApi(routes: RouteSpec[], info: { title: string; version: string }): (baseUrl: string) => Json {
  const requests = z.registry<{ id: string }>();
  const responses = z.registry<{ id: string }>();
  requests.add(SegmentCondition, { id: "SegmentCondition" });
  responses.add(SegmentCondition, { id: "SegmentConditionStored" });
  responses.add(ProblemDetails, { id: "Problem" });

  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    const id = operationId(route);
    const answers: Record<string, Json> = {};
    for (const [status, text] of Object.entries(standardErrors(route))) {
      answers[status] = { description: text, content: { "application/problem+json": { schema: ref("Problem") } } };
    }
    for (const [status, r] of Object.entries(route.responses)) {
      const type = r.contentType ?? (Number(status) >= 400 ? "application/problem+json" : "application/json");
      const schema = r.schema ? ref(named(responses, r.schema, `${cap(id)}${status}`)) : Number(status) >= 400 ? ref("Problem") : type === "application/json" ? {} : { type: "string" };
      answers[status] = Number(status) === 204 || Number(status) === 302 ? { description: r.description } : { description: r.description, content: { [type]: { schema } } };
    }
    const body = requestBody(route.body, requests, `${cap(id)}Body`);
    const path = route.path.replace(/:([A-Za-z]+)/g, "{$1}");
    paths[path] ??= {};
    paths[path][route.method] = {
      operationId: id,
      tags: [route.tag],
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      parameters: [...parameters(route.params, "path"), ...parameters(route.query, "query")],
      ...(body ? { requestBody: body } : {}),
      responses: answers,
      security: route.access === "public" ? [] : [{ apiKey: [] }],
      "x-nudge-scope": route.access,
    };
  }

  const options = { unrepresentable: "any", cycles: "ref", reused: "inline", uri: (id: string) => `#/components/schemas/${id}` } as const;
  const schemas = {
    ...components(z.toJSONSchema(requests, { ...options, io: "input" }).schemas as Record<string, Json>, "Input"),
    ...components(z.toJSONSchema(responses, { ...options, io: "output" }).schemas as Record<string, Json>, "Output"),
  };
  const doc = {
    openapi: "3.1.0",
    info: { ...info, description: "The Nudge HTTP API. Errors are RFC 9457 problem details (application/problem+json)." },
    paths,
    components: {
      schemas,
      securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "An API key of this workspace; `x-nudge-scope` says which scope a route needs." } },
    },
  };
  return (baseUrl) => ({ ...doc, servers: [{ url: baseUrl || "/" }] });
}
