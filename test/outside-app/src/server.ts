import express from "express";
import { keepRawBody, nudgeRouter } from "@nudge/express";
import { startNudge } from "./nudge.js";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name}`);
  return value;
}

const port = Number(process.env["PORT"] ?? 3000);
const publicUrl = process.env["PUBLIC_URL"] ?? `http://localhost:${port}`;
const nudge = await startNudge({
  publicUrl,
  linkSecret: required("NUDGE_LINK_SECRET"),
  databasePath: process.env["NUDGE_DB"] ?? ".nudge/nudge.db",
  twilio: process.env["TWILIO_ACCOUNT_SID"]
    ? {
        accountSid: required("TWILIO_ACCOUNT_SID"),
        authToken: required("TWILIO_AUTH_TOKEN"),
        from: required("TWILIO_FROM"),
        ...(process.env["TWILIO_BASE_URL"] ? { baseUrl: process.env["TWILIO_BASE_URL"] } : {}),
      }
    : undefined,
});

// The sandbox sends nothing: print what would have gone out.
nudge.sandbox.onMessage((m) => console.log(`[sandbox] ${m.channel} to ${m.to}: ${JSON.stringify(m.content)}`));

const app = express();
// The app's own body parsers, ahead of everything. `keepRawBody` keeps each body's exact bytes as
// `rawBody`, which Nudge checks signed provider webhooks against.
app.use(express.json({ verify: keepRawBody }));
app.use(express.urlencoded({ extended: false, verify: keepRawBody }));
app.get("/health", (_req, res) => {
  res.json({ ok: true, nudge: nudge.running });
});
app.use(
  "/nudge",
  nudgeRouter(nudge, {
    keys: [
      { id: "backend", key: required("NUDGE_INGEST_KEY"), scopes: ["ingest"] },
      { id: "ops", key: required("NUDGE_ADMIN_KEY"), scopes: ["admin"] },
    ],
  }),
);

const server = app.listen(port, () => console.log(`listening on ${publicUrl}`));
const shutdown = () => {
  server.close();
  void nudge.stop().then(() => process.exit(0));
};
process.once("SIGINT", shutdown);
process.once("SIGTERM", shutdown);
