import { createHmac } from "node:crypto";
import express from "express";
import { z } from "zod";
import { FakeClock, Tokens, ValidationError, WebhookSignatureError, createNudge, definePlugin, sandboxChannel, silentLogger, type Channel, type Logger, type Nudge, type PluginSpec } from "@nudge/core";
import { storageMemory } from "@nudge/storage-memory";
import { nudgeRouter, type RouterOptionsInput } from "../src/index.js";

export const INGEST_KEY = "test-ingest-key-0123456789abcdef";
export const ADMIN_KEY = "test-admin-key-0123456789abcdefgh";
export const HOOK_SIGNING_SECRET = "acme-signing-secret";
export const LINK_SECRET = "link-secret-0123456789abcdef";

export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

const AcmeReport = z.object({ id: z.string(), status: z.enum(["delivered", "failed"]) });

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    return undefined;
  }
}

/** A channel whose provider signs its webhooks (HMAC of the raw body), like most real ones. */
export const hookedChannel = definePlugin({
  id: "channel-hooked",
  kind: "channel",
  configSchema: z.object({}),
  register(ctx) {
    const channel: Channel<{ text: string }> = {
      id: "hooked",
      providers: ["acme"],
      contentSchema: z.object({ text: z.string().min(1).max(20) }),
      address: (p) => p.userId,
      send: async (m) => ({ providerMessageId: `acme-${m.context.messageId}`, status: "sent" }),
      async parseWebhook(req) {
        const signature = createHmac("sha256", HOOK_SIGNING_SECRET).update(req.rawBody).digest("hex");
        const given = req.headers["x-acme-signature"];
        if (given !== signature) throw new WebhookSignatureError("acme webhook", "headers.x-acme-signature", given === undefined ? "is missing" : "does not match the body");
        const body = AcmeReport.safeParse(parseJson(req.rawBody));
        if (!body.success) throw ValidationError.fromZod("acme webhook", body.error);
        return { reports: [{ providerMessageId: body.data.id, status: body.data.status, at: 1 }] };
      },
    };
    ctx.registerInstance(Tokens.Channel, channel as Channel);
  },
});

/** A channel whose provider does not sign: the router's webhook secret protects it. */
export const unsignedChannel = definePlugin({
  id: "channel-unsigned",
  kind: "channel",
  configSchema: z.object({}),
  register(ctx) {
    const channel: Channel<{ text: string }> = {
      id: "plain",
      providers: ["basic"],
      contentSchema: z.object({ text: z.string() }),
      address: (p) => p.userId,
      send: async (m) => ({ providerMessageId: `basic-${m.context.messageId}` }),
      parseWebhook: async () => ({ reports: [], response: { status: 200, body: "OK" } }),
    };
    ctx.registerInstance(Tokens.Channel, channel as Channel);
  },
});

export interface TestApp {
  app: express.Express;
  nudge: Nudge;
  clock: FakeClock;
}

export async function makeApp(
  options: {
    workspace?: string;
    router?: Partial<RouterOptionsInput>;
    plugins?: PluginSpec[];
    logger?: Logger;
    start?: boolean;
    /** Host middleware installed before the router (body parsers, as many host apps do). */
    host?: express.RequestHandler[];
  } = {},
): Promise<TestApp> {
  const clock = new FakeClock();
  const nudge = await createNudge({
    workspace: options.workspace ?? "acme",
    plugins: [storageMemory(), sandboxChannel(), hookedChannel(), unsignedChannel(), ...(options.plugins ?? [])],
    logger: options.logger ?? silentLogger(),
    clock,
    links: { baseUrl: "http://localhost/nudge", secret: LINK_SECRET },
  });
  if (options.start !== false) await nudge.start();
  const app = express();
  for (const h of options.host ?? []) app.use(h);
  app.use(
    "/nudge",
    nudgeRouter(nudge, {
      keys: [
        { id: "ingest", key: INGEST_KEY, scopes: ["ingest"] },
        { id: "admin", key: ADMIN_KEY, scopes: ["admin"] },
      ],
      ...options.router,
    }),
  );
  return { app, nudge, clock };
}

/** The path of a link the instance signed, relative to the app. */
export function pathOf(url: string): string {
  return new URL(url).pathname;
}
