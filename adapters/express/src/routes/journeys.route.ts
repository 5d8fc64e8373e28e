import { z } from "zod";
import {
  EnrollmentState,
  JourneyDefinition,
  JourneyStatus,
  NotFoundError,
  ValidationError,
  type JourneyHead,
  type JourneyVersion } from "@nudge/core";
import { defineRoute, type RouteContext, type RouteSpec } from "../route-spec.js";
import { IdParams, NoContent } from "../schemas.js";

const HeadResponse = z.object({
  journeyId: z.string(),
  status: JourneyStatus,
  latestVersion: z.number().int(),
  publishedVersion: z.number().int().nullable(),
  updatedAt: z.number().int(),
});
const JourneyResponse = HeadResponse.extend({ version: z.number().int(), definition: JourneyDefinition });
const StatsResponse = HeadResponse.extend({ enrollments: z.record(EnrollmentState, z.number().int()) });
const VersionQuery = z.object({ version: z.coerce.number().int().positive().optional() });

function headView(h: JourneyHead): z.infer<typeof HeadResponse> {
  return { journeyId: h.journeyId, status: h.status, latestVersion: h.latestVersion, publishedVersion: h.publishedVersion, updatedAt: h.updatedAt };
}

function journeyView(h: JourneyHead, v: JourneyVersion): z.infer<typeof JourneyResponse> {
  return { ...headView(h), version: v.version, definition: v.definition };
}

/** Journeys: versioned definitions and their status (draft -> published -> paused -> archived). */
export function journeyRoutes({ nudge }: RouteContext): RouteSpec[] {
  const journeys = nudge.journeys;
  const head = async (id: string) => {
    const h = await journeys.head(id);
    if (!h) throw new NotFoundError("journey", id);
    return h;
  };
  const status = (path: "publish" | "pause" | "resume", summary: string, act: (id: string) => Promise<JourneyHead>) =>
    defineRoute({
      method: "post",
      path: `/v1/journeys/:id/${path}`,
      access: "admin",
      tag: "Journeys",
      summary,
      params: IdParams,
      responses: { 200: { description: "The journey's new status", schema: HeadResponse }, 404: { description: "No such journey" } },
      async handle({ params }) {
        return { status: 200, body: headView(await act(params.id)) };
      },
    });

  return [
    defineRoute({
      method: "put",
      path: "/v1/journeys/:id",
      access: "admin",
      tag: "Journeys",
      summary: "Store a new draft version of a journey",
      description: "Validated like at send time: steps, templates (Liquid) and channels. The body's `id` may be left out. Publish to make it live.",
      params: IdParams,
      body: { kind: "json", schema: JourneyDefinition, fromPath: ["id"] },
      responses: { 200: { description: "The stored version", schema: JourneyResponse } },
      async handle({ params, body }) {
        if (body.id !== params.id) {
          throw new ValidationError("journey", [{ path: "id", message: `does not match the path ("${params.id}")` }]);
        }
        const version = await journeys.put({ ...body, id: params.id });
        return { status: 200, body: journeyView(await head(params.id), version) };
      },
    }),
    defineRoute({
      method: "get",
      path: "/v1/journeys/:id",
      access: "admin",
      tag: "Journeys",
      summary: "Read a journey: its status and a version (the latest by default)",
      params: IdParams,
      query: VersionQuery,
      responses: { 200: { description: "The journey", schema: JourneyResponse }, 404: { description: "No such journey or version" } },
      async handle({ params, query }) {
        const h = await head(params.id);
        const version = await journeys.get(params.id, query.version);
        if (!version) throw new NotFoundError("journey version", `${params.id}@${query.version ?? h.latestVersion}`);
        return { status: 200, body: journeyView(h, version) };
      },
    }),
    defineRoute({
      method: "delete",
      path: "/v1/journeys/:id",
      access: "admin",
      tag: "Journeys",
      summary: "Delete a journey and every version of it",
      params: IdParams,
      responses: { 204: NoContent, 404: { description: "No such journey" } },
      async handle({ params }) {
        await head(params.id);
        await journeys.remove(params.id);
        return { status: 204 };
      },
    }),
    status("publish", "Make the latest version live", (id) => journeys.publish(id)),
    status("pause", "Stop enrolling and advancing people until resumed", (id) => journeys.pause(id)),
    status("resume", "Resume a paused journey on its published version", (id) => journeys.resume(id)),
    defineRoute({
      method: "get",
      path: "/v1/journeys/:id/stats",
      access: "admin",
      tag: "Journeys",
      summary: "Enrollments of a journey by state",
      params: IdParams,
      responses: { 200: { description: "Counts", schema: StatsResponse }, 404: { description: "No such journey" } },
      async handle({ params }) {
        const h = await head(params.id);
        const enrollments = await nudge.journeys.countEnrollments(params.id);
        return { status: 200, body: { ...headView(h), enrollments } };
      },
    }),
  ];
}
