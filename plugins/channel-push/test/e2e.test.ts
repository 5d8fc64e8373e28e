import { rejection } from "./support/rejection.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNudge, FakeClock, silentLogger, Tokens, ValidationError, type Nudge } from "@nudge/core";
import { storageMemory } from "@nudge/storage-memory";
import { push, pushTokens } from "../src/index.js";
import { pushFakes } from "./support/push-harness.js";

const IOS = "b".repeat(64);

describe("push end to end: devices registered, journey fans out, dead tokens leave the profile", () => {
  const clock = new FakeClock("2026-03-02T01:00:00Z");
  let fakes: Awaited<ReturnType<typeof pushFakes>>;
  let fcm: typeof fakes.fcm;
  let apns: typeof fakes.apns;
  let web: typeof fakes.web;
  let nudge: Nudge;

  beforeAll(async () => {
    fakes = await pushFakes(clock);
    ({ fcm, apns, web } = fakes);
    nudge = await createNudge({
      workspace: "acme",
      logger: silentLogger(),
      clock,
      // The host's composition: the channel names its providers, the provider plugins bring the vendors.
      plugins: [storageMemory(), push({ providers: ["fcm", "apns", "webpush"] }), ...fakes.plugins()],
    });
    await nudge.start();
    await nudge.journeys.put({
      id: "order-shipped",
      trigger: { type: "event", event: "order_shipped" },
      steps: [
        {
          id: "notify",
          type: "send",
          channel: "push",
          content: {
            title: "{{ profile.traits.name }}님, 주문이 출발했어요",
            body: "주문번호 {{ event.properties.orderId }}",
            link: "acme://orders/{{ event.properties.orderId }}",
            data: { orderId: "{{ event.properties.orderId }}" },
            collapseKey: "order-{{ event.properties.orderId }}",
          },
        },
      ],
    });
    await nudge.journeys.publish("order-shipped");
  });
  afterAll(async () => {
    await nudge?.stop();
    await fakes?.stop();
  });

  it("reaches every device once, records per-device results, and removes the unregistered one", async () => {
    await nudge.identify({ userId: "u1", traits: { name: "서연" } });
    const devices = pushTokens(nudge);
    const browser = web.subscribe();
    await devices.registerFor({ userId: "u1" }, { token: "android-phone", platform: "android" });
    await devices.registerFor({ userId: "u1" }, { token: IOS, platform: "ios" });
    await devices.registerFor({ userId: "u1" }, browser.device);
    await devices.registerFor({ userId: "u1" }, { token: "android-old-tablet", platform: "android" });
    fcm.answerFor("android-old-tablet", "UNREGISTERED");

    await nudge.track({ userId: "u1", event: "order_shipped", properties: { orderId: "A-1001" } });
    await nudge.drain();

    const [message] = (await nudge.resolve(Tokens.MessageStore).list("acme", { limit: 10 })).items;
    expect(message).toMatchObject({ channel: "push", status: "sent" });
    const attempt = message!.attempts.at(-1)!;
    expect(attempt).toMatchObject({ status: "sent", provider: "fcm+apns+webpush", providerCode: "3/4", messageType: "push" });
    const perDevice = (attempt.details as { devices: Array<Record<string, unknown>> }).devices;
    expect(perDevice.map((d) => `${d["provider"]}:${d["status"]}`).sort()).toEqual(["apns:sent", "fcm:invalid", "fcm:sent", "webpush:sent"]);

    expect(fcm.messages.at(-1)).toMatchObject({ token: "android-phone", notification: { title: "서연님, 주문이 출발했어요", body: "주문번호 A-1001" }, data: { orderId: "A-1001", link: "acme://orders/A-1001" }, android: { collapse_key: "order-A-1001" } });
    expect(apns.requests.at(-1)).toMatchObject({ token: IOS, payload: { aps: { alert: { title: "서연님, 주문이 출발했어요" } }, link: "acme://orders/A-1001" } });
    expect(apns.requests.at(-1)!.headers["apns-collapse-id"]).toBe("order-A-1001");
    expect(web.received.at(-1)!.payload).toMatchObject({ title: "서연님, 주문이 출발했어요", link: "acme://orders/A-1001", data: { orderId: "A-1001" } });

    const profile = (await nudge.profiles.find({ userId: "u1" }))!;
    expect(profile.contacts.push?.map((t) => t.token).sort()).toEqual([IOS, "android-phone", browser.device.token].sort());
    expect(profile.contacts.invalid?.["push:android-old-tablet"]).toMatchObject({ reason: "fcm: UNREGISTERED" });

    // The next message goes to the three live devices only.
    const sentBefore = fcm.messages.length + apns.requests.length + web.received.length;
    await nudge.track({ userId: "u1", event: "order_shipped", properties: { orderId: "A-1002" } });
    await nudge.drain();
    expect(fcm.messages.length + apns.requests.length + web.received.length).toBe(sentBefore + 3);
    expect(fcm.messages.some((m) => m["token"] === "android-old-tablet")).toBe(false);
  });

  it("falls through as unreachable when the person's only device is dead, and the token is removed", async () => {
    await nudge.identify({ userId: "u2", traits: { name: "Jun" } });
    await pushTokens(nudge).registerFor({ userId: "u2" }, { token: "c".repeat(64), platform: "ios" });
    apns.answerFor("c".repeat(64), "Unregistered");
    await nudge.track({ userId: "u2", event: "order_shipped", properties: { orderId: "B-1" } });
    await nudge.drain();
    const messages = (await nudge.resolve(Tokens.MessageStore).list("acme", { limit: 10 })).items;
    const profile = (await nudge.profiles.find({ userId: "u2" }))!;
    const message = messages.find((m) => m.profileId === profile.id)!;
    expect(message.status).toBe("failed");
    expect(message.attempts.at(-1)).toMatchObject({ status: "unreachable", errorCode: "NUDGE_RECIPIENT_UNREACHABLE", providerCode: "Unregistered" });
    expect(profile.contacts.push).toEqual([]);
    expect(profile.contacts.invalid?.[`push:${"c".repeat(64)}`]).toBeTruthy();
  });

  it("validates a device registration, naming the field", async () => {
    const e = await rejection<ValidationError>(pushTokens(nudge).registerFor({ userId: "u3" }, { token: "https://push.example/abc", platform: "web" }));
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.issues).toEqual([expect.objectContaining({ path: "keys" })]);
  });
});
