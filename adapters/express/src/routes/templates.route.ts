import { z } from "zod";
import {
  ChannelRegistryToken,
  JsonRecord,
  NotFoundError,
  TemplateAbort,
  TemplateDefinition,
  Tokens,
  ValidationError,
  issuesFromZod,
  profileScope,
  type FieldIssue,
} from "@nudge/core";
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
  const store = nudge.resolve(Tokens.TemplateStore);
  const renderer = nudge.resolve(Tokens.TemplateRenderer);
  const channels = nudge.resolve(ChannelRegistryToken);
  const ws = nudge.workspace;
  const find = async (id: string) => {
    const t = await store.get(ws, id);
    if (!t) throw new NotFoundError("template", id);
    return t;
  };

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
        const issues: FieldIssue[] = [];
        if (body.id !== params.id) issues.push({ path: "id", message: `does not match the path ("${params.id}")` });
        if (!channels.has(body.channel)) issues.push({ path: "channel", message: `unknown channel "${body.channel}" (registered: ${channels.ids().join(", ") || "none"})` });
        issues.push(...renderer.check(body.content, "content"));
        if (issues.length > 0) throw new ValidationError("template", issues);
        const template = { ...body, id: params.id };
        await store.put(ws, template, nudge.clock.now());
        return { status: 200, body: template };
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
        return { status: 200, body: await find(params.id) };
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
        await find(params.id);
        await store.delete(ws, params.id);
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
        const template = await find(params.id);
        let profile: Record<string, unknown> = { id: "preview", userId: null, traits: {}, email: null, phone: null, timezone: null, locale: null };
        if (body.userId !== undefined) {
          const real = await nudge.profiles.find({ userId: body.userId });
          if (!real) throw new NotFoundError("user", body.userId);
          profile = profileScope(real);
        }
        if (body.profile) profile = { ...profile, ...body.profile };
        const scope = {
          profile,
          event: body.event ?? {},
          vars: body.vars ?? {},
          journey: { id: "preview", version: 0, stepId: "preview" },
          now: new Date(nudge.clock.now()).toISOString(),
        };
        try {
          const content = await renderer.render(template.content, scope);
          const parsed = channels.get(template.channel)?.contentSchema.safeParse(content);
          const errors = parsed && !parsed.success ? issuesFromZod(parsed.error) : [];
          return { status: 200, body: { channel: template.channel, content, aborted: null, errors } };
        } catch (e) {
          if (!(e instanceof TemplateAbort)) throw e;
          return { status: 200, body: { channel: template.channel, content: null, aborted: e.reason, errors: [] } };
        }
      },
    }),
  ];
}
