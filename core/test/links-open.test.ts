import { describe, expect, it } from "vitest";
import { LinkService } from "../src/links/link-service.js";

const SETTINGS = { baseUrl: "https://acme.example/nudge/", secret: "link-secret-0123456789abcdef" };
const tokenOf = (url: string) => url.slice(url.lastIndexOf("/") + 1);

describe("LinkService: open-pixel tokens", () => {
  const links = new LinkService("acme", SETTINGS);

  it("signs an open pixel URL under <baseUrl>/o/ that verifies as an open of that message and person", () => {
    const url = links.openPixelUrl({ messageId: "msg-1", profileId: "prof-1" });
    expect(url).toMatch(/^https:\/\/acme\.example\/nudge\/o\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(links.verify(tokenOf(url), "o")).toEqual({ k: "o", ws: "acme", m: "msg-1", p: "prof-1" });
    expect(links.verify(tokenOf(url))).toEqual({ k: "o", ws: "acme", m: "msg-1", p: "prof-1" });
  });

  it("a click token never verifies as an open token, nor an open token as a click or an unsubscribe", () => {
    const click = tokenOf(links.clickUrl({ messageId: "msg-1", profileId: "prof-1", url: "https://shop.example/" }));
    const open = tokenOf(links.openPixelUrl({ messageId: "msg-1", profileId: "prof-1" }));
    const unsubscribe = tokenOf(links.unsubscribeUrl({ profileId: "prof-1", channel: "email" }));
    expect(links.verify(click, "o")).toBeNull();
    expect(links.verify(unsubscribe, "o")).toBeNull();
    expect(links.verify(open, "l")).toBeNull();
    expect(links.verify(open, "u")).toBeNull();
    expect(links.verify(click, "l")).toMatchObject({ k: "l", u: "https://shop.example/" });
    expect(links.verify(unsubscribe, "u")).toMatchObject({ k: "u", c: "email" });
  });

  it("the kind is signed: relabelling an open token as a click breaks its signature", () => {
    const [body, mac] = tokenOf(links.openPixelUrl({ messageId: "msg-1", profileId: "prof-1" })).split(".") as [string, string];
    const payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as Record<string, unknown>;
    const relabelled = Buffer.from(JSON.stringify({ ...payload, k: "l", u: "https://evil.example/" })).toString("base64url");
    expect(links.verify(`${relabelled}.${mac}`)).toBeNull();
    expect(links.verify(`${relabelled}.${mac}`, "l")).toBeNull();
  });

  it("an open token of another workspace or another secret is refused", () => {
    const url = links.openPixelUrl({ messageId: "msg-1", profileId: "prof-1" });
    expect(new LinkService("other", SETTINGS).verify(tokenOf(url), "o")).toBeNull();
    expect(new LinkService("acme", { ...SETTINGS, secret: "another-secret-0123456789" }).verify(tokenOf(url), "o")).toBeNull();
  });

  it("says whether the host gave link settings (without them tokens die with the process)", () => {
    expect(links.configured).toBe(true);
    const unconfigured = new LinkService("acme", null);
    expect(unconfigured.configured).toBe(false);
    const token = tokenOf(unconfigured.openPixelUrl({ messageId: "m", profileId: "p" }));
    expect(unconfigured.verify(token, "o")).toMatchObject({ m: "m" });
    expect(new LinkService("acme", null).verify(token, "o")).toBeNull();
  });
});
