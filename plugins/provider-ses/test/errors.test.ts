import { describe, expect, it } from "vitest";
import { ChannelRejectedError, ChannelUnavailableError, RateLimitedError, RecipientUnreachableError } from "@nudge/core";
import { mapSesError } from "../src/errors.js";
import { sesMessageId } from "../src/ses.provider.js";

describe("SES SMTP replies onto core errors (SMTP response codes returned by Amazon SES)", () => {
  it("maps SES's documented replies", () => {
    const throttled = mapSesError({ code: "EMESSAGE", responseCode: 454, response: "454 Throttling failure: Maximum sending rate exceeded." });
    expect(throttled).toBeInstanceOf(RateLimitedError);
    expect(throttled).toMatchObject({ providerCode: "454", notSent: true });
    expect(mapSesError({ code: "EMESSAGE", responseCode: 454, response: "454 Throttling failure: Daily message quota exceeded." })).toBeInstanceOf(RateLimitedError);
    expect(mapSesError({ code: "EPROTOCOL", responseCode: 421, response: "421 Too many concurrent SMTP connections" })).toMatchObject({ code: "NUDGE_CHANNEL_RATE_LIMITED", notSent: true });
    expect(mapSesError({ code: "EMESSAGE", responseCode: 451, response: "451 Temporary service failure" })).toMatchObject({ code: "NUDGE_CHANNEL_UNAVAILABLE", notSent: false });
    expect(mapSesError({ code: "EAUTH", responseCode: 535, response: "535 Authentication Credentials Invalid" })).toBeInstanceOf(ChannelRejectedError);
    expect(mapSesError({ code: "EENVELOPE", responseCode: 530, response: "530 Authentication required" })).toBeInstanceOf(ChannelRejectedError);
    const unverified = mapSesError({
      code: "EMESSAGE",
      responseCode: 554,
      command: "DATA",
      response: "554 Message rejected: Email address is not verified. The following identities failed the check in region AP-NORTHEAST-2: news@acme.test, ops@acme.test",
    });
    expect(unverified).toBeInstanceOf(ChannelRejectedError);
    expect(unverified.message).not.toMatch(/news@|ops@/);
    expect(mapSesError({ code: "EENVELOPE", responseCode: 550, command: "RCPT TO", response: "550 <a@b.test> refused" })).toBeInstanceOf(RecipientUnreachableError);
  });

  it("a connection never made is not sent; one lost mid-way is unknown", () => {
    expect(mapSesError({ code: "ESOCKET", syscall: "connect", command: "CONN", message: "connect ECONNREFUSED 127.0.0.1:587" })).toMatchObject({ code: "NUDGE_CHANNEL_UNAVAILABLE", notSent: true });
    expect(mapSesError({ code: "EDNS", syscall: "getaddrinfo", message: "getaddrinfo ENOTFOUND email-smtp.xx-nowhere-1.amazonaws.com" }).notSent).toBe(true);
    const lost = mapSesError({ code: "ECONNECTION", command: "CONN", message: "Connection closed unexpectedly" });
    expect(lost).toBeInstanceOf(ChannelUnavailableError);
    expect(lost.notSent).toBe(false);
  });

  it("reads SES's message id from its 250 reply", () => {
    expect(sesMessageId("250 Ok 010001668cbaf1d3-7fadface-8253-49c5-ba34-dbb320d8a770-000000")).toBe("010001668cbaf1d3-7fadface-8253-49c5-ba34-dbb320d8a770-000000");
    expect(sesMessageId("250 2.0.0 Ok: queued as 3CB2B113CB6")).toBeUndefined();
  });
});
