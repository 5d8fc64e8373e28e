import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createNudge, sandboxChannel } from "@nudge/core";
import { storageMemory } from "@nudge/storage-memory";

/** A host's own pino logger, with no redaction of its own, writing JSON lines into an array. */
function hostLogger(): { logger: pino.Logger; lines: () => Record<string, unknown>[] } {
  const out: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      out.push(chunk.toString("utf8"));
      done();
    },
  });
  return { logger: pino({ level: "debug" }, stream), lines: () => out.join("").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe("log lines carry no secrets or personal data, also through the host's own logger", () => {
  it("redacts phone, email, traits, contacts, tokens and authorization headers at any plugin's depth", async () => {
    const { logger, lines } = hostLogger();
    const nudge = await createNudge({ workspace: "acme", plugins: [storageMemory(), sandboxChannel()], logger });
    const pluginLog = nudge.logger.child({ plugin: "some-provider" });
    pluginLog.info({ phone: "+821012345678", email: "minji@example.com", traits: { name: "Minji" } }, "sending");
    pluginLog.warn({ req: { headers: { authorization: "Bearer nk_admin_secret" } }, apiKey: "k-123", token: "tok" }, "call");
    pluginLog.info({ to: { contacts: { phone: "+821012345678" }, secretKey: "s3cr3t" } }, "nested");
    const text = JSON.stringify(lines());
    for (const secret of ["+821012345678", "minji@example.com", "Minji", "nk_admin_secret", "k-123", "tok\"", "s3cr3t"]) {
      expect(text, secret).not.toContain(secret);
    }
    expect(lines().filter((l) => l["msg"] === "sending")[0]).toMatchObject({ workspace: "acme", plugin: "some-provider", phone: "[redacted]", email: "[redacted]", traits: "[redacted]" });
  });
});
