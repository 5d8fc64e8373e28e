/** JSON Schema as the OpenAPI document of the router holds it (a subset of 2020-12). */
export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
  default?: unknown;
};

/** One operation of the API, as its OpenAPI document describes it. */
export interface Operation {
  method: "get" | "post" | "put" | "delete";
  /** OpenAPI template: `/v1/profiles/{userId}`; also the label counts are kept under. */
  path: string;
  /** `ingest`, `admin` or `public` (the document's x-nudge-scope). */
  scope: string;
  pathParams: string[];
  queryParams: string[];
  body: { kind: "json" | "form" | "raw"; schema: JsonSchema } | null;
}

interface OpenApiOperation {
  "x-nudge-scope"?: string;
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, JsonSchema> };
}

/** Every operation of the document: the fuzz reaches each route the router mounts, none listed by hand. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  const out: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = op.parameters ?? [];
      const content = op.requestBody?.content ?? {};
      const [type, media] = Object.entries(content)[0] ?? [];
      const kind = type === undefined ? null : type === "application/json" ? "json" : type === "application/x-www-form-urlencoded" ? "form" : "raw";
      out.push({
        method: method as Operation["method"],
        path,
        scope: op["x-nudge-scope"] ?? "public",
        pathParams: params.filter((p) => p.in === "path").map((p) => p.name),
        queryParams: params.filter((p) => p.in === "query").map((p) => p.name),
        body: kind && media ? { kind, schema: media.schema } : null,
      });
    }
  }
  return out;
}

/** Resolves `#/components/schemas/X` references against the document. */
export function resolver(doc: OpenApiDocument): (s: JsonSchema) => JsonSchema {
  return (s) => {
    let current = s;
    for (let hops = 0; current.$ref && hops < 10; hops++) {
      const name = current.$ref.replace("#/components/schemas/", "");
      current = doc.components.schemas[name] ?? {};
    }
    return current;
  };
}
