import express from "express";
import { createNudge, createLogger, sandboxChannel, type JourneyDefinitionInput, type Nudge, type Clock } from "@nudge/core";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { storageSqlite } from "@nudge/storage-sqlite";
import { generateApiKey, nudgeRouter, type RouterOptionsInput } from "@nudge/express";

/** The quickstart's journey: on `signed_up`, send a personalised welcome. */
export const welcome: JourneyDefinitionInput = {
  id: "welcome",
  name: "Welcome",
  trigger: { type: "event", event: "signed_up" },
  steps: [
    {
      id: "say-hello",
      type: "send",
      channel: "sandbox",
      content: { text: "Welcome to Acme, {{ profile.traits.name | default: 'friend' }}!" },
    },
  ],
};

export interface QuickstartOptions {
  workspace?: string;
  logLevel?: string;
  clock?: Clock;
  /** Where the SQLite database lives (default ./.nudge): the data survives restarts. */
  dataDir?: string;
  /** API keys (24+ characters); each one missing is generated. */
  keys?: { ingest?: string | undefined; admin?: string | undefined };
  /** Where recipients reach the API: click and unsubscribe links point there. */
  baseUrl?: string;
  /** Signs click and unsubscribe links; keep it stable so links survive restarts. Random per process when absent. */
  linkSecret?: string | undefined;
  /** More router options (rate limits, webhook secrets ...). */
  router?: Partial<RouterOptionsInput>;
}

export interface Quickstart {
  app: express.Express;
  nudge: Nudge;
  /** The keys the API accepts, generated ones included. */
  keys: { ingest: string; admin: string };
}

/** Builds the host app: one Nudge instance, the welcome journey, and the Nudge HTTP API mounted at /nudge. */
export async function buildQuickstart(options: QuickstartOptions = {}): Promise<Quickstart> {
  const nudge = await createNudge({
    workspace: options.workspace ?? "acme",
    plugins: [storageSqlite({ path: join(options.dataDir ?? ".nudge", "nudge.db") }), sandboxChannel()],
    logger: createLogger({ level: options.logLevel ?? "info" }),
    ...(options.clock ? { clock: options.clock } : {}),
    links: { baseUrl: options.baseUrl ?? "http://localhost:3000/nudge", secret: options.linkSecret ?? randomBytes(32).toString("base64url") },
  });
  await nudge.start();
  await nudge.journeys.put(welcome);
  await nudge.journeys.publish(welcome.id);

  const keys = { ingest: options.keys?.ingest ?? generateApiKey("nk_ingest"), admin: options.keys?.admin ?? generateApiKey("nk_admin") };
  const app = express();
  app.use(
    "/nudge",
    nudgeRouter(nudge, {
      keys: [
        { id: "ingest", key: keys.ingest, scopes: ["ingest"] },
        { id: "admin", key: keys.admin, scopes: ["admin"] },
      ],
      ...options.router,
    }),
  );
  return { app, nudge, keys };
}
