import { z } from "zod";
import { JsonRecord, NotFoundError, TemplateDefinition, ValidationError } from "@nudge/core";
import { defineRoute, type RouteContext, type RouteSpec } from "../route-spec.js";
import { IdParams, NoContent } from "../schemas.js";


/** A made-up person to preview with, or the userId of a real one. */
const RenderBody = z.object({
  userId: z.string().min(1).optional(),
  profile: z
    .object({
      userId: z.string().optional(),
      traits: JsonRecord.optional(),
      email: z.string().optional(),
      phone: z.string().optional(),
      timezone: z.string().optional(),
      locale: z.string().optional(),
    })
    .optional(),
  event: JsonRecord.optional(),
  vars: JsonRecord.optional(),
});
const RenderResponse = z.object({
  channel: z.string(),
  /** Rendered content; null when the template aborted. */
  content: JsonRecord.nullable(),
  aborted: z.string().nullable(),
  /** Problems the channel would raise with this content (lengths, required fields). */
  errors: z.array(z.object({ path: z.string(), message: z.string() })),
});

/** Stored templates: content for one channel whose string fields are Liquid. */
export function templateRoutes({ nudge }: RouteContext): RouteSpec[] {
  const templates = nudge.templates;

  return [
    defineRoute({
      method: "put",
      path: "/v1/templates/:id",
      access: "admin",
      tag: "Templates",
      summary: "Create or replace a template",
      description: "The channel must be registered and every Liquid field must parse and use known variables. The body's `id` may be left out.",
      params: IdParams,
      body: { kind: "json", schema: TemplateDefinition, fromPath: ["id"] },
      responses: { 200: { description: "The stored template", schema: TemplateDefinition } },
      async handle({ params, body }) {
        if (body.id !== params.id) throw new ValidationError("template", [{ path: "id", message: `does not match the path ("${params.id}")` }]);
        return { status: 200, body: await templates.put({ ...body, id: params.id }) };
      },
    }),
    defineRoute({
      method: "get",
      path: "/v1/templates/:id",
      access: "admin",
      tag: "Templates",
      summary: "Read a template",
      params: IdParams,
      responses: { 200: { description: "The template", schema: TemplateDefinition }, 404: { description: "No such template" } },
      async handle({ params }) {
        const template = await templates.get(params.id);
        if (!template) throw new NotFoundError("template", params.id);
        return { status: 200, body: template };
      },
    }),
    defineRoute({
      method: "delete",
      path: "/v1/templates/:id",
      access: "admin",
      tag: "Templates",
      summary: "Delete a template",
      params: IdParams,
      responses: { 204: NoContent, 404: { description: "No such template" } },
      async handle({ params }) {
        await templates.delete(params.id);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: "post",
      path: "/v1/templates/:id/render",
      access: "admin",
      tag: "Templates",
      summary: "Preview a template with a sample profile (or a real one by userId)",
      params: IdParams,
      body: { kind: "json", schema: RenderBody },
      responses: { 200: { description: "The rendered content", schema: RenderResponse }, 404: { description: "No such template or user" } },
      async handle({ params, body }) {
        return { status: 200, body: await templates.preview(params.id, body) };
      },
    }),
  ];
}
