import type { Request, Response } from "express";
import type { z } from "zod";
import type { Nudge } from "@nudge/core";
import type { RouterOptions } from "./options.js";
import type { Access } from "./rate-limit.js";

/** How a route reads its body. `raw` keeps the exact bytes (webhook signatures are computed over them). */
export type BodySpec<B> =
  | {
      kind: "json";
      /** What the router parses before the handler runs; the handler's body is its output. */
      schema: z.ZodType<B>;
      /**
       * What the OpenAPI document shows, when it says more than `schema`: the handler passes the body to
       * the core, which validates it in full (one parse per request, not two). Defaults to `schema`.
       */
      documented?: z.ZodType;
      limit?: string | number;
      /** Path parameters copied into a JSON object body when it leaves them out (PUT /v1/journeys/:id needs no `id` twice). */
      fromPath?: string[];
    }
  | { kind: "form"; schema: z.ZodType<B> }
  | { kind: "raw" };

export interface ResponseSpec {
  description: string;
  /** Documented body; JSON unless `contentType` says otherwise. */
  schema?: z.ZodType;
  contentType?: string;
}

/** What a handler answers with; `undefined` means it wrote the response itself (redirects, HTML). */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  req: Request;
  res: Response;
}

/**
 * One endpoint, described once: the router mounts it (auth, rate limit, body, zod parsing) and the
 * OpenAPI document is generated from the same description, so the two cannot drift apart.
 */
export interface RouteSpec<P = unknown, Q = unknown, B = unknown> {
  method: "get" | "post" | "put" | "delete";
  /** Express syntax, relative to the mount point: `/v1/journeys/:id`. */
  path: string;
  access: Access;
  /**
   * Which per-IP limit a public route counts against: `webhook` (providers burst) or none at all
   * (health probes, the scrape endpoint). Keyed routes always count per key.
   */
  publicLimit?: "webhook" | false;
  tag: string;
  summary: string;
  description?: string;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: BodySpec<B>;
  responses: Record<number, ResponseSpec>;
  handle(input: RouteInput<P, Q, B>): Promise<Reply | undefined>;
}

/** Keeps a route's handler typed against its own schemas, then erases the types for the route list. */
export function defineRoute<P, Q, B>(spec: RouteSpec<P, Q, B>): RouteSpec {
  return spec as unknown as RouteSpec;
}

/** Everything a route factory may use. */
export interface RouteContext {
  nudge: Nudge;
  options: RouterOptions;
}
