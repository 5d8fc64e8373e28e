import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNudge, FakeClock, silentLogger, Tokens } from "@nudge/core";
import { storageMemory } from "@nudge/storage-memory";
import { chatWebhook } from "../src/index.js";

async function body(req: IncomingMessage): Promise<unknown> {
  let raw = "";
  for await (const chunk of req) raw += chunk;
  return JSON.parse(raw);
}

describe("the custom channel from docs/writing-a-plugin.md", () => {
  let server: Server;
  let url: string;
  const received: { auth?: string; key?: string; body: unknown }[] = [];

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const b = (await body(req)) as { to: string };
      received.push({ auth: req.headers.authorization, key: req.headers["idempotency-key"] as string, body: b });
      if (b.to === "@gone") return void res.writeHead(404).end("{}");
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: `chat-${received.length}` }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("is the code the guide shows", () => {
    const guide = readFileSync(new URL("../../../docs/writing-a-plugin.md", import.meta.url), "utf8");
    const source = readFileSync(new URL("../src/chat-webhook.channel.ts", import.meta.url), "utf8");
    expect(guide).toContain(source.trim());
  });

  it("rejects a config without a url, naming the plugin and field", async () => {
    await expect(createNudge({ workspace: "w", plugins: [storageMemory(), chatWebhook({ token: "t" } as never)], logger: silentLogger() })).rejects.toMatchObject({
      pluginId: "channel-chat-webhook",
      issues: [expect.objectContaining({ path: "url" })],
    });
  });

  it("delivers a journey's message and records the refusal of an unknown handle", async () => {
    const nudge = await createNudge({ workspace: "w", plugins: [storageMemory(), chatWebhook({ url, token: "s3cret" })], logger: silentLogger(), clock: new FakeClock() });
    await nudge.start();
    await nudge.journeys.put({
      id: "ping",
      trigger: { type: "event", event: "deploy_failed" },
      steps: [{ id: "tell", type: "send", channel: "chat", content: { text: "{{ event.properties.service }} failed" } }],
    });
    await nudge.journeys.publish("ping");
    await nudge.identify({ userId: "ops", traits: { chatHandle: "@ops" } });
    await nudge.identify({ userId: "old", traits: { chatHandle: "@gone" } });
    await nudge.track({ userId: "ops", event: "deploy_failed", properties: { service: "api" } });
    await nudge.track({ userId: "old", event: "deploy_failed", properties: { service: "web" } });
    await nudge.drain();
    expect(received[0]).toMatchObject({ auth: "Bearer s3cret", body: { to: "@ops", text: "api failed" } });
    expect(received[0]!.key).toMatch(/^ping:/);
    const { items } = await nudge.resolve(Tokens.MessageStore).list("w", { limit: 10 });
    const byRecipient = Object.fromEntries(items.map((m) => [m.recipient, m]));
    expect(byRecipient["@ops"]).toMatchObject({ status: "sent", attempts: [expect.objectContaining({ providerMessageId: "chat-1" })] });
    expect(byRecipient["@gone"]).toMatchObject({ status: "failed", attempts: [expect.objectContaining({ errorCode: "NUDGE_CHANNEL_REJECTED", providerCode: "404" })] });
    await nudge.stop();
  });
});
