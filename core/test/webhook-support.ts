import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { LookupAddress } from "node:dns";
import type { AddressInfo } from "node:net";
import { silentLogger, type EngineSettingsInput, type Logger } from "@nudge/core";
import { EngineSettings } from "../src/engine/options.js";
import type { HostResolver } from "../src/engine/journeys/host-resolver.js";
import { WebhookClient, type WebhookCall } from "../src/engine/journeys/webhook-client.js";

/** A server on 127.0.0.1 that records every request it gets: the proof that a refused call never arrived. */
export async function recordingServer(answer: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end("{}")) {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    req.resume().on("end", () => answer(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())).finally(() => server.closeAllConnections()),
  };
}

/** A resolver answering from a script, one answer per call (the last one repeats); `calls` lists the names asked. */
export function scriptedResolver(...answers: string[][]): { resolver: HostResolver; calls: string[] } {
  const calls: string[] = [];
  const resolver = {
    async resolve(hostname: string): Promise<LookupAddress[]> {
      calls.push(hostname);
      const addresses = answers[Math.min(calls.length, answers.length) - 1] ?? [];
      return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
    },
  } satisfies HostResolver;
  return { resolver, calls };
}

type WebhookSettings = NonNullable<NonNullable<EngineSettingsInput["journeys"]>["webhooks"]>;

/** A WebhookClient as the engine builds it, with the given webhook settings and resolver. */
export function webhookClient(webhooks: WebhookSettings = {}, resolver: HostResolver = scriptedResolver().resolver, logger: Logger = silentLogger()): WebhookClient {
  const options = { ...EngineSettings.parse({ journeys: { webhooks } }), workspace: "acme" };
  return new WebhookClient(options, logger, resolver);
}

export function hookCall(url: string): WebhookCall {
  return { stepId: "notify", url, body: { hello: "world" }, headers: {}, timeoutMs: 5_000, idempotencyKey: "e1:notify:1" };
}
