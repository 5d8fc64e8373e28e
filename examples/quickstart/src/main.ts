import { buildQuickstart } from "./app.js";

const port = Number(process.env["PORT"] ?? 3000);
const env = (name: string) => process.env[name] || undefined;
const { app, nudge, keys } = await buildQuickstart({
  logLevel: env("NUDGE_LOG_LEVEL") ?? "info",
  keys: { ingest: env("NUDGE_INGEST_KEY"), admin: env("NUDGE_ADMIN_KEY") },
  baseUrl: `http://localhost:${port}/nudge`,
  linkSecret: env("NUDGE_LINK_SECRET"),
});

// Sandbox providers send nothing: print what would have gone out.
nudge.sandbox.onMessage((m) => {
  console.log(`[sandbox ${m.channel}] to ${m.to}: ${JSON.stringify(m.content)}`);
});

const server = app.listen(port, () => {
  console.log(`Nudge quickstart: the API is at http://localhost:${port}/nudge (described at /nudge/openapi.json)`);
  if (!env("NUDGE_INGEST_KEY") || !env("NUDGE_ADMIN_KEY")) {
    console.log("Generated API keys for this run (set NUDGE_INGEST_KEY and NUDGE_ADMIN_KEY to choose your own).");
  }
  console.log("In another terminal:");
  console.log(`  export NUDGE_INGEST_KEY=${keys.ingest}`);
  console.log(`  export NUDGE_ADMIN_KEY=${keys.admin}`);
  console.log(
    `  curl -X POST localhost:${port}/nudge/v1/track -H "authorization: Bearer $NUDGE_INGEST_KEY" -H 'content-type: application/json' -d '{"userId":"u1","event":"signed_up"}'`,
  );
});

const shutdown = () => {
  server.close();
  void nudge.stop().then(() => process.exit(0));
};
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
