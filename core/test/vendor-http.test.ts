import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChannelUnavailableError, RateLimitedError, vendorRequest } from "@nudge/core";
import { FakeHttpServer, type FakeHttpAnswer } from "@nudge/core/testkit";

describe("vendorRequest: fetch with a timeout, JSON parsing, HTTP status -> core errors", () => {
  let next: FakeHttpAnswer = { status: 200, body: {} };
  const fake = new FakeHttpServer(() => next);
  let url = "";
  beforeAll(async () => {
    url = `${await fake.start()}/v1/send`;
  });
  afterAll(() => fake.close());

  const answer = async (a: FakeHttpAnswer) => {
    next = a;
    return vendorRequest(url, { method: "POST", headers: { "content-type": "application/json" }, body: '{"to":"01012345678"}' });
  };
  const failure = async (a: FakeHttpAnswer) => answer(a).then(() => null, (e: unknown) => e);

  it("sends the request as given and parses a JSON answer", async () => {
    await expect(answer({ status: 200, body: { id: "m-1" } })).resolves.toMatchObject({ status: 200, body: { id: "m-1" } });
    expect(fake.last()).toMatchObject({ method: "POST", path: "/v1/send", json: { to: "01012345678" } });
  });

  it("keeps a body that is not JSON as text, and an empty one as null", async () => {
    expect((await answer({ status: 200, body: "<html>ok</html>" })).body).toBe("<html>ok</html>");
    expect((await answer({ status: 200, body: "" })).body).toBeNull();
  });

  it("hands a 4xx back to the caller, who reads the vendor's own codes", async () => {
    const a = await answer({ status: 400, body: { errorCode: "ValidationError" } });
    expect(a).toMatchObject({ status: 400, body: { errorCode: "ValidationError" } });
    expect(a.headers.get("content-type")).toContain("application/json");
  });

  it("turns 429 into RateLimitedError and honours Retry-After in seconds", async () => {
    const limited = await failure({ status: 429, body: {}, headers: { "retry-after": "7" } });
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect(limited).toMatchObject({ code: "NUDGE_CHANNEL_RATE_LIMITED", retryable: true, providerCode: "HTTP_429", retryAfterMs: 7000 });
    expect((await failure({ status: 429, body: {} })) as RateLimitedError).toMatchObject({ retryAfterMs: undefined });
    expect((await failure({ status: 429, body: {}, headers: { "retry-after": "soon" } })) as RateLimitedError).toMatchObject({ retryAfterMs: undefined });
  });

  it("turns 5xx into a retryable ChannelUnavailableError", async () => {
    const down = await failure({ status: 503, body: "Service Unavailable" });
    expect(down).toBeInstanceOf(ChannelUnavailableError);
    expect(down).toMatchObject({ code: "NUDGE_CHANNEL_UNAVAILABLE", retryable: true, providerCode: "HTTP_503" });
  });

  it("turns a refused connection into ChannelUnavailableError with the cause kept", async () => {
    const closed = new FakeHttpServer(() => next);
    const gone = await closed.start();
    await closed.close();
    const e = await vendorRequest(gone, { method: "GET" }).then(() => null, (err: unknown) => err);
    expect(e).toBeInstanceOf(ChannelUnavailableError);
    expect((e as ChannelUnavailableError).message).toMatch(/^request to 127\.0\.0\.1:\d+ failed/);
    expect((e as ChannelUnavailableError).cause).toBeDefined();
  });

  it("gives up after timeoutMs", async () => {
    // A vendor that accepts the connection and never answers.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const started = Date.now();
      const e = await vendorRequest(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/`, { method: "GET", timeoutMs: 100 }).then(() => null, (err: unknown) => err);
      expect(e).toBeInstanceOf(ChannelUnavailableError);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
