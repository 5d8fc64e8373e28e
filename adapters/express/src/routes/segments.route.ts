import { z } from "zod";
import { NotFoundError, SegmentDefinition, SegmentDraft, ValidationError } from "@nudge/core";
import { defineRoute, type RouteContext, type RouteSpec } from "../route-spec.js";
import { IdParams, NoContent, PageQuery, page } from "../schemas.js";

const SegmentResponse = SegmentDefinition.extend({ members: z.number().int() });
const Member = z.object({ profileId: z.string(), userId: z.string().nullable() });
const PreviewBody = SegmentDraft.extend({
  /** People to list among those matching. */
  limit: z.number().int().min(1).max(100).default(20),
  /** People evaluated at most (the estimate extrapolates from them). */
  sample: z.number().int().min(1).max(100_000).default(10_000),
});
const PreviewResponse = z.object({
  estimate: z.object({ count: z.number().int(), sampled: z.number().int(), matched: z.number().int(), total: z.number().int(), exact: z.boolean() }),
  people: z.array(Member),
});

/** Segments: condition trees over traits and behaviour, evaluated and kept up to date by the engine. */
export function segmentRoutes({ nudge }: RouteContext): RouteSpec[] {
  const segments = nudge.segments;
  const withUserIds = async (profileIds: string[]) => {
    const profiles = await Promise.all(profileIds.map((id) => nudge.profiles.get(id)));
    return profileIds.map((profileId, i) => ({ profileId, userId: profiles[i]?.userId ?? null }));
  };

  return [
    defineRoute({
      method: "put",
      path: "/v1/segments/:id",
      access: "admin",
      tag: "Segments",
      summary: "Create or replace a segment",
      description: "The body's `id` may be left out. A changed definition is evaluated for everyone in the background.",
      params: IdParams,
      body: { kind: "json", schema: SegmentDefinition, fromPath: ["id"] },
      responses: { 200: { description: "The stored segment", schema: SegmentDefinition } },
      async handle({ params, body }) {
        if (body.id !== params.id) {
          throw new ValidationError("segment", [{ path: "id", message: `does not match the path ("${params.id}")` }]);
        }
        return { status: 200, body: await segments.put(body) };
      },
    }),
    defineRoute({
      method: "get",
      path: "/v1/segments/:id",
      access: "admin",
      tag: "Segments",
      summary: "Read a segment and its member count",
      params: IdParams,
      responses: { 200: { description: "The segment", schema: SegmentResponse }, 404: { description: "No such segment" } },
      async handle({ params }) {
        const segment = await segments.get(params.id);
        if (!segment) throw new NotFoundError("segment", params.id);
        return { status: 200, body: { ...segment, members: await segments.count(params.id) } };
      },
    }),
    defineRoute({
      method: "delete",
      path: "/v1/segments/:id",
      access: "admin",
      tag: "Segments",
      summary: "Delete a segment (refused while another segment refers to it)",
      params: IdParams,
      responses: { 204: NoContent, 404: { description: "No such segment" } },
      async handle({ params }) {
        if (!(await segments.remove(params.id))) throw new NotFoundError("segment", params.id);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: "get",
      path: "/v1/segments/:id/members",
      access: "admin",
      tag: "Segments",
      summary: "Page through a segment's members",
      params: IdParams,
      query: PageQuery,
      responses: { 200: { description: "A page of members", schema: page(Member) }, 404: { description: "No such segment" } },
      async handle({ params, query }) {
        const ids = await segments.members(params.id, { cursor: query.cursor ?? null, limit: query.limit });
        return { status: 200, body: { items: await withUserIds(ids.items), nextCursor: ids.nextCursor } };
      },
    }),
    defineRoute({
      method: "post",
      path: "/v1/segments/preview",
      access: "admin",
      tag: "Segments",
      summary: "Estimate who a condition would match, and list some of them, without storing it",
      body: { kind: "json", schema: PreviewBody },
      responses: { 200: { description: "The estimate and some matching people", schema: PreviewResponse } },
      async handle({ body }) {
        const draft = { condition: body.condition };
        const estimate = await segments.estimate(draft, { sample: body.sample });
        const found = await segments.preview(draft, { limit: body.limit, maxScan: body.sample });
        return { status: 200, body: { estimate, people: await withUserIds(found.profileIds) } };
      },
    }),
  ];
}
