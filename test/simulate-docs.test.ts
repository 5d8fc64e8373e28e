import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createNudge, journey, policies, sandboxProvider, silentLogger } from "@nudge/core";
import { storageSqlite } from "@nudge/storage-sqlite";
import { kakao } from "@nudge/channel-kakao";
import { sms } from "@nudge/channel-sms";

// The definition under test: in an app, the module it publishes.
const welcome = journey("welcome")
  .on("signed_up")
  .send("hello", {
    channel: "kakao",
    content: { kind: "brand", chatBubbleType: "TEXT", content: "{{ profile.traits.name }}님, 가입을 환영합니다!" },
    fallback: [{ channel: "sms", content: { text: "(광고) 아크미: {{ profile.traits.name }}님, 가입을 환영합니다!\n무료수신거부 080-123-4567" } }],
    // A Brand Message is advertising by law: it needs the person's consent on each channel it may take.
    marketing: true,
  })
  .wait("a-day", { duration: "P1D" })
  .send("tips", { channel: "sms", content: { text: "(광고) 아크미: 첫 주문 팁 3가지\n무료수신거부 080-123-4567" }, marketing: true })
  .build();

// The production assembly, with sandbox providers where production names a vendor's. It is created and
// never started: simulate() needs no start(), no data, and makes its own throwaway store for each run.
const nudge = await createNudge({
  workspace: "shop",
  settings: { timezone: "Asia/Seoul" },
  plugins: [
    storageSqlite(),
    kakao(),
    sms({ senders: ["+8215880000"] }),
    sandboxProvider({ channel: "sms", failFor: { "+821099990000": "permanent" } }),
    policies({ quietHours: [{ from: "21:00", to: "08:00" }] }),
  ],
  logger: silentLogger(),
});
afterAll(() => nudge.stop());

const signedUp = [{ at: "2026-03-02T03:00:00Z", name: "signed_up" }]; // 12:00 in Seoul
const consents = (...channels: string[]) => channels.map((channel) => ({ channel, state: "subscribed" as const }));

describe("welcome", () => {
  it("gives a Kakao non-friend the SMS instead, as production does", async () => {
    const r = await nudge.simulate(welcome, {
      profile: { userId: "minji", traits: { name: "민지" }, contacts: { phone: "010-1234-5678", kakao: { channelFriend: false } }, subscriptions: consents("kakao", "sms") },
      events: signedUp,
    });
    const hello = r.messages.find((m) => m.stepId === "hello")!;
    expect(hello.attempts.map((a) => [a.channel, a.status])).toEqual([["kakao", "unreachable"], ["sms", "sent"]]);
    expect(hello).toMatchObject({ status: "sent", channel: "sms", recipient: "+821012345678", content: { text: "(광고) 아크미: 민지님, 가입을 환영합니다!\n무료수신거부 080-123-4567" } });
  });

  it("sends the tips a day later only with marketing consent", async () => {
    const person = { userId: "jun", contacts: { phone: "+821055556666", kakao: { channelFriend: true } }, subscriptions: consents("kakao") };
    const without = await nudge.simulate(welcome, { profile: person, events: signedUp });
    expect(without.messages.map((m) => [m.stepId, m.channel, m.status])).toEqual([["hello", "kakao", "sent"], ["tips", "sms", "suppressed"]]);
    expect(without.decisions).toEqual([expect.objectContaining({ stepId: "tips", policy: "consent", outcome: "suppress" })]);

    const consenting = await nudge.simulate(welcome, { profile: { ...person, subscriptions: consents("kakao", "sms") }, events: signedUp });
    expect(consenting.messages[1]).toMatchObject({ stepId: "tips", status: "sent", local: "2026-03-03T12:00:00.000+09:00" });
  });

  it("fails where the sandbox provider is told to fail", async () => {
    const r = await nudge.simulate(welcome, { profile: { userId: "bora", contacts: { phone: "+821099990000", kakao: { channelFriend: false } }, subscriptions: consents("kakao", "sms") }, events: signedUp });
    expect(r.messages[0]).toMatchObject({ stepId: "hello", status: "failed", channel: "sms" });
    expect(r.messages[0]!.attempts.at(-1)).toMatchObject({ providerCode: "sandbox_permanent" });
  });
});

// ---- not quoted by the page ----

describe("docs/testing-journeys.md", () => {
  it("quotes its example test verbatim from this file", () => {
    const page = readFileSync(resolve(import.meta.dirname, "../docs/testing-journeys.md"), "utf8");
    const section = page.slice(page.indexOf("## An example test"), page.indexOf("## Patterns"));
    const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
    expect(blocks.length).toBeGreaterThan(0);
    const self = readFileSync(import.meta.filename, "utf8");
    for (const block of blocks) expect(self, `not in ${import.meta.filename}:\n${block}`).toContain(block);
  });
});
