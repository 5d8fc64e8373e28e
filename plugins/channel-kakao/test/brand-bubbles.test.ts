import { describe, expect, it } from "vitest";
import { ValidationError } from "@nudge/core";
import { sendContext } from "@nudge/core/testkit";
import { BUBBLES } from "@nudge/channel-kakao/testkit";
import { person, startKakao, TEXT } from "./harness.js";
import { scriptedKakao } from "./scripted-provider.js";

const friend = person("+821012345678", true);

describe("Brand Message bubbles through the channel", () => {
  it.each(Object.entries(BUBBLES))("%s reaches the provider as checked content with its targeting and type", async (type, content) => {
    const { channel, outbox, close } = await startKakao();
    const result = await channel.send({ to: "+821012345678", content: content as never, context: sendContext(friend, { channel: "kakao" }) });
    expect(result).toMatchObject({ provider: "sandbox", messageType: `BMS_${type}` });
    expect(outbox.list()).toEqual([expect.objectContaining({ channel: "kakao", to: "+821012345678", messageType: `BMS_${type}`, content: { ...content, targeting: "I" } })]);
    await close();
  });

  it("converts a legacy Friendtalk into the Brand Message providers receive", async () => {
    const { channel, outbox, close } = await startKakao({ id: "kakao-friendtalk", friendtalkChannel: false });
    const content = { kind: "friendtalk" as const, content: "봄 세일", imageUrl: "https://cdn.example.com/a.jpg", wide: false, isAd: true, buttons: [{ name: "둘째", type: "WL" as const, linkMo: "https://x.example.com/2", ordering: 2 }, { name: "첫째", type: "WL" as const, linkMo: "https://x.example.com/1", ordering: 1 }] };
    await channel.send({ to: "+821012345678", content, context: sendContext(friend, { channel: "kakao-friendtalk" }) });
    expect(outbox.list()[0]!.content).toEqual({
      kind: "brand",
      chatBubbleType: "IMAGE",
      content: "봄 세일",
      image: { url: "https://cdn.example.com/a.jpg" },
      buttons: [{ name: "첫째", type: "WL", linkMo: "https://x.example.com/1" }, { name: "둘째", type: "WL", linkMo: "https://x.example.com/2" }],
      targeting: "I",
    });
    await close();
  });

  it("refuses, before any provider call, content that any of its providers cannot take (a failover must not meet it)", async () => {
    const urlOnly = scriptedKakao("first", { issues: (p) => (p.kind === "brand" && p.image && !p.image.url ? [{ path: "image.url", message: "first takes image URLs" }] : []) });
    const idOnly = scriptedKakao("second", { issues: (p) => (p.kind === "brand" && p.image && !p.image.id ? [{ path: "image.id", message: "second takes image ids" }] : []) });
    const { channel, close } = await startKakao({ providers: ["first", "second"] }, { providers: [urlOnly.spec, idOnly.spec] });
    const image = (img: object) => ({ kind: "brand" as const, chatBubbleType: "IMAGE" as const, content: "봄", image: img });
    expect(() => channel.prepare(image({ url: "https://cdn.example.com/a.jpg" }))).toThrow(ValidationError);
    const send = (content: unknown) => channel.send({ to: "+821012345678", content: content as never, context: sendContext(friend) });
    await expect(send(image({ id: "IMG1" }))).rejects.toMatchObject({ issues: [{ path: "image.url", message: "first takes image URLs" }] });
    expect(urlOnly.calls).toHaveLength(0);
    await send(image({ url: "https://cdn.example.com/a.jpg", id: "IMG1" }));
    expect(urlOnly.calls).toHaveLength(1);
    // AlimTalk and text-only bubbles carry nothing either provider refuses.
    await send(TEXT);
    await close();
  });
});
