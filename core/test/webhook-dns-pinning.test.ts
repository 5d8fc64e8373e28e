import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { Socket } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createNudge } from "@nudge/core";
import { capturingLogger } from "@nudge/core/testkit";
import { storageMemory } from "@nudge/storage-memory";
import { hookCall, recordingServer, scriptedResolver, webhookClient } from "./webhook-support.js";

let server: Awaited<ReturnType<typeof recordingServer>>;
beforeEach(async () => (server = await recordingServer()));
afterEach(() => server.close());

/** A URL on the local server's port under a made-up name, which only the scripted resolver knows. */
const at = (host: string, path = "/hook") => `http://${host}:${server.port}${path}`;

describe("webhook guard: names are resolved once and every address is checked", () => {
  it("a name that resolves to a private address is refused without connecting", async () => {
    const dns = scriptedResolver(["127.0.0.1"]);
    const answer = await webhookClient({}, dns.resolver).post(hookCall(at("internal.example")));
    expect(answer).toMatchObject({ ok: false, status: null, retryable: false });
    expect(answer.error).toMatch(/^refused: internal\.example is the non-public address 127\.0\.0\.1 \(loopback;/);
    expect(dns.calls).toEqual(["internal.example"]);
    expect(server.hits).toEqual([]);
  });

  it("one private address among the answers is enough to refuse the name", async () => {
    const dns = scriptedResolver(["93.184.216.34", "::ffff:127.0.0.1"]);
    const answer = await webhookClient({}, dns.resolver).post(hookCall(at("mixed.example")));
    expect(answer.error).toMatch(/non-public address ::ffff:127\.0\.0\.1 \(ipv4Mapped of 127\.0\.0\.1: loopback;/);
    expect(server.hits).toEqual([]);
  });

  it("DNS rebinding: the socket connects to the address that was checked, and the name is not resolved again", async () => {
    // Public first, loopback after: a client that checks, then lets the socket resolve again, would reach the local server.
    const dns = scriptedResolver(["93.184.216.34"], ["127.0.0.1"]);
    const connectingTo: string[] = [];
    // Stop the socket once it knows its address, so no packet leaves for the public address.
    const onSocket = (message: unknown) => {
      const socket = (message as { socket: Socket }).socket;
      socket.on("lookup", (err: Error | null, address: string) => {
        if (err) return;
        connectingTo.push(address);
        socket.destroy();
      });
    };
    subscribe("net.client.socket", onSocket);
    try {
      const client = webhookClient({}, dns.resolver);
      const first = await client.post(hookCall(at("rebind.example")));
      expect(dns.calls).toEqual(["rebind.example"]);
      expect(connectingTo).toEqual(["93.184.216.34"]);
      expect(first).toMatchObject({ ok: false, status: null, retryable: true });
      // The next call resolves anew, gets the loopback answer, and is refused before any socket is opened.
      const second = await client.post(hookCall(at("rebind.example")));
      expect(second.error).toMatch(/rebind\.example is the non-public address 127\.0\.0\.1/);
      expect(dns.calls).toEqual(["rebind.example", "rebind.example"]);
      expect(connectingTo).toEqual(["93.184.216.34"]);
      expect(server.hits).toEqual([]);
    } finally {
      unsubscribe("net.client.socket", onSocket);
    }
  });

  it("a connection kept alive by an instance that allows private addresses is not reused by one that does not", async () => {
    const dns = scriptedResolver(["127.0.0.1"]);
    const open = webhookClient({ allowPrivateAddresses: true }, dns.resolver);
    const guarded = webhookClient({}, dns.resolver);
    expect(await open.post(hookCall(at("localhost")))).toMatchObject({ ok: true, status: 200 });
    expect(server.hits).toHaveLength(1);
    const answer = await guarded.post(hookCall(at("localhost")));
    expect(answer.error).toMatch(/^refused: localhost is the non-public address 127\.0\.0\.1/);
    expect(server.hits).toHaveLength(1);
  });

  it("redirects are not followed: a 3xx is the answer", async () => {
    const target = await recordingServer();
    const redirecting = await recordingServer((_req, res) => res.writeHead(307, { location: `http://127.0.0.1:${target.port}/stolen` }).end());
    try {
      const answer = await webhookClient({ allowPrivateAddresses: true }).post(hookCall(`http://127.0.0.1:${redirecting.port}/hook`));
      expect(answer).toMatchObject({ ok: false, status: 307, retryable: false });
      expect(redirecting.hits).toEqual(["POST /hook"]);
      expect(target.hits).toEqual([]);
    } finally {
      await Promise.all([target.close(), redirecting.close()]);
    }
  });
});

describe("webhook guard: the opt-outs", () => {
  it("allowPrivateAddresses lets private names and literals through", async () => {
    const dns = scriptedResolver(["127.0.0.1"]);
    const client = webhookClient({ allowPrivateAddresses: true }, dns.resolver);
    expect(await client.post(hookCall(at("internal.example")))).toMatchObject({ ok: true, status: 200 });
    expect(await client.post(hookCall(at("127.0.0.1")))).toMatchObject({ ok: true, status: 200 });
    expect(server.hits).toEqual(["POST /hook", "POST /hook"]);
  });

  it("allowHosts lets only the listed names resolve to private addresses", async () => {
    const dns = scriptedResolver(["127.0.0.1"]);
    const client = webhookClient({ allowHosts: ["Internal.example"] }, dns.resolver);
    expect(await client.post(hookCall(at("internal.example")))).toMatchObject({ ok: true, status: 200 });
    expect((await client.post(hookCall(at("other.example")))).error).toMatch(/^refused: other\.example/);
    expect(server.hits).toEqual(["POST /hook"]);
  });

  it("the boot log says when the guard is off; it says nothing when it is on", async () => {
    const boot = async (webhooks: object) => {
      const { logger, lines } = capturingLogger();
      await createNudge({ workspace: "acme", plugins: [storageMemory()], logger, settings: { journeys: { webhooks } } });
      return lines.filter((l) => l["level"] === 40 && /webhook steps may call/.test(String(l["msg"])));
    };
    expect(await boot({})).toEqual([]);
    expect(await boot({ allowPrivateAddresses: true })).toMatchObject([{ msg: expect.stringContaining("allowPrivateAddresses") }]);
    expect(await boot({ allowHosts: ["crm.internal"] })).toMatchObject([{ allowHosts: ["crm.internal"] }]);
  });
});
