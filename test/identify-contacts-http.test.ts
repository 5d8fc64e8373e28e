import express from "express";
import request from "supertest";
import { afterEach, describe, expect, it } from "vitest";
import { createNudge, FakeClock, silentLogger, Tokens, type JourneyDefinitionInput, type Nudge } from "@nudge/core";
import { kakao } from "@nudge/channel-kakao";
import { asAdvertisement, sms } from "@nudge/channel-sms";
import { nudgeRouter } from "@nudge/express";
import { storageMemory } from "@nudge/storage-memory";

/**
 * Contact facts set through the HTTP API reach the channels: a person identified over /v1/identify as not a
 * friend of the brand's Kakao channel gets the LMS fallback of a Brand Message targeting I; a friend gets the
 * Brand Message. Bad facts are a 400 naming the field.
 */

const WS = "acme";
const INGEST = "nk_ingest_contacts_0123456789abcdef";
const ADMIN = "nk_admin_contacts_0123456789abcdefgh";
const OPT_OUT = "080-123-4567";

/** A marketing Brand Message (targeting I: friends only), LMS as the fallback. */
const promo: JourneyDefinitionInput = {
  id: "spring-promo",
  trigger: { type: "event", event: "promo_requested" },
  steps: [
    {
      id: "brand-message",
      type: "send",
      channel: "kakao",
      marketing: true,
      content: { kind: "brand", chatBubbleType: "TEXT", targeting: "I", content: "봄 신상품이 도착했어요!" },
      fallback: [{ channel: "sms", content: { text: asAdvertisement(`${"봄 신상품이 도착했어요. ".repeat(4)}지금 확인해 보세요.`, { brand: "아크미", optOutNumber: OPT_OUT }) } }],
    },
  ],
};

let nudge: Nudge | null = null;
afterEach(async () => {
  await nudge?.stop();
  nudge = null;
});

async function serve() {
  nudge = await createNudge({
    workspace: WS,
    plugins: [storageMemory(), kakao(), sms({ senders: ["+8215880000"], optOutNumber: OPT_OUT })],
    logger: silentLogger(),
    clock: new FakeClock("2026-03-02T03:00:00Z"), // 12:00 KST
  });
  await nudge.journeys.put(promo);
  await nudge.journeys.publish(promo.id);
  await nudge.start();
  const keys = [
    { id: "ingest", key: INGEST, scopes: ["ingest" as const] },
    { id: "admin", key: ADMIN, scopes: ["admin" as const] },
  ];
  const app = express().use("/n", nudgeRouter(nudge, { keys }));
  const post = (path: string) => request(app).post(`/n${path}`).set("authorization", `Bearer ${INGEST}`);
  /** Marketing consent for both channels, over the admin API. */
  const subscribe = (userId: string) =>
    request(app)
      .put(`/n/v1/profiles/${userId}/subscriptions`)
      .set("authorization", `Bearer ${ADMIN}`)
      .send({ source: "signup-form", subscriptions: [{ channel: "kakao", state: "subscribed" }, { channel: "sms", state: "subscribed" }] })
      .expect(200);
  return { nudge, app, post, subscribe };
}

describe("contact facts through the HTTP API", () => {
  it("identify with channelFriend false: the Brand Message targeting I falls back to LMS; a friend gets Kakao", async () => {
    const { nudge, post, subscribe } = await serve();
    await post("/v1/identify").send({ userId: "stranger", contacts: { phone: "010-1234-5678", kakao: { channelFriend: false } } }).expect(202);
    await post("/v1/batch")
      .send({ batch: [{ type: "identify", userId: "friend", contacts: { phone: "010-2345-6789", kakao: { channelFriend: true } } }] })
      .expect(202);
    for (const userId of ["stranger", "friend"]) await subscribe(userId);
    const profiles = nudge.resolve(Tokens.ProfileStore);
    const strangerProfile = (await profiles.getByUserId(WS, "stranger"))!;
    expect(strangerProfile.contacts).toEqual({ phone: "+821012345678", kakao: { channelFriend: false } });

    for (const userId of ["stranger", "friend"]) await post("/v1/track").send({ userId, event: "promo_requested" }).expect(202);
    await nudge.drain();
    const messages = (await nudge.resolve(Tokens.MessageStore).list(WS, { limit: 10 })).items;
    expect(messages).toHaveLength(2);
    const stranger = messages.find((m) => m.profileId === strangerProfile.id);
    expect(stranger).toMatchObject({ status: "sent", channel: "sms" });
    expect(stranger!.attempts).toEqual([
      expect.objectContaining({ channel: "kakao", status: "unreachable", providerCode: "NUDGE_NOT_CHANNEL_FRIEND" }),
      expect.objectContaining({ channel: "sms", status: "sent", messageType: "LMS" }),
    ]);
    const friend = messages.find((m) => m !== stranger);
    expect(friend).toMatchObject({ status: "sent", channel: "kakao" });
    expect(friend!.attempts).toEqual([expect.objectContaining({ channel: "kakao", status: "sent" })]);
    expect(nudge.sandbox.list({ channel: "kakao" })).toHaveLength(1);
    expect(nudge.sandbox.list({ channel: "sms" })).toHaveLength(1);
  });

  it("a bad fact is a 400 problem naming the field; nothing is stored", async () => {
    const { nudge, post } = await serve();
    const one = await post("/v1/identify").send({ userId: "u1", contacts: { kakao: { channelFriend: "false" } } }).expect(400);
    expect(one.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(one.body.errors).toEqual([{ path: "contacts.kakao.channelFriend", message: "Invalid input: expected boolean, received string" }]);
    const many = await post("/v1/batch")
      .send({ batch: [{ type: "track", userId: "u1", event: "viewed" }, { type: "identify", userId: "u1", contacts: { kakao: { channelFriend: "yes" } } }] })
      .expect(400);
    expect(many.body.errors).toEqual([{ path: "batch[1].contacts.kakao.channelFriend", message: expect.stringMatching(/boolean/) }]);
    const phone = await post("/v1/identify").send({ userId: "u1", contacts: { phone: "12" } }).expect(400);
    expect(phone.body.errors).toEqual([{ path: "contacts.phone", message: "is too short to be a phone number" }]);
    expect(await nudge.resolve(Tokens.ProfileStore).getByUserId(WS, "u1")).toBeNull();
  });

  it("the OpenAPI document shows identify's contacts", async () => {
    const { app } = await serve();
    const doc = (await request(app).get("/n/openapi.json").expect(200)).body;
    const ref: string = doc.paths["/v1/identify"].post.requestBody.content["application/json"].schema.$ref;
    const body = doc.components.schemas[ref.split("/").at(-1)!];
    const contacts = body.properties.contacts;
    expect(contacts.additionalProperties).toBe(false);
    expect(Object.keys(contacts.properties)).toEqual(["email", "phone", "kakao"]);
    expect(contacts.properties.kakao.additionalProperties).toBe(false);
    expect(contacts.properties.kakao.properties.channelFriend).toEqual({
      type: ["boolean", "null"],
      description: expect.stringContaining("friend of the brand's Kakao channel"),
    });
  });
});
