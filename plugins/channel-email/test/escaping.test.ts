import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNudge, FakeClock, silentLogger, type Nudge } from "@nudge/core";
import { storageMemory } from "@nudge/storage-memory";
import { email, type EmailPayload } from "../src/index.js";

/** The example of docs/channels/email.md ("Templates: escaping and `| raw`"), rendered as the page says. */
const page = readFileSync(new URL("../../../docs/channels/email.md", import.meta.url), "utf8");
const section = page.slice(page.indexOf("## Templates: escaping and `| raw`"));
const block = (lang: string): string => new RegExp("```" + lang + "\\n([\\s\\S]*?)\\n```").exec(section)![1]!;

const NAME = "</p><h1>Your account is locked</h1>";

describe("e-mail HTML escapes template outputs (docs/channels/email.md)", () => {
  let nudge: Nudge;

  beforeAll(async () => {
    nudge = await createNudge({
      workspace: "acme",
      logger: silentLogger(),
      clock: new FakeClock("2026-03-02T01:00:00Z"),
      plugins: [storageMemory(), email({ from: "Acme <news@acme.test>" })],
    });
    await nudge.start();
  });
  afterAll(() => nudge?.stop());

  it("the page's request: the name is escaped in the HTML part, kept as typed in the subject; `| raw` passes trusted markup", async () => {
    const request = JSON.parse(block("json")) as { userId: string };
    expect(section).toContain(`\`name\` trait is \`${NAME}\``);
    await nudge.identify({ userId: request.userId, traits: { name: NAME, email: "buyer@example.com" } });

    const message = await nudge.send(request as Parameters<Nudge["send"]>[0]);
    expect(message.status).toBe("sent");
    const payload = nudge.sandbox.list({ channel: "email" }).at(-1)!.content as EmailPayload;
    expect(payload.html).toBe(block("html"));
    expect(payload.subject).toBe(`${NAME}, your order has shipped`);
    expect(payload.html).not.toContain("<h1>");
  });

  it("a text part written by hand is not escaped", async () => {
    await nudge.identify({ userId: "u2", traits: { name: "Tom & Jerry <3", email: "tj@example.com" } });
    await nudge.send({
      userId: "u2",
      idempotencyKey: "k2",
      channel: "email",
      content: { subject: "Hi {{ profile.traits.name }}", html: "<p>Hi {{ profile.traits.name }}</p>", text: "Hi {{ profile.traits.name }}" },
    });
    const payload = nudge.sandbox.list({ channel: "email" }).at(-1)!.content as EmailPayload;
    expect(payload).toMatchObject({ subject: "Hi Tom & Jerry <3", text: "Hi Tom & Jerry <3", html: "<p>Hi Tom &amp; Jerry &lt;3</p>" });
  });
});
