import { describe, expect, it } from "vitest";
import { ChannelRejectedError, ChannelUnavailableError, RateLimitedError, RecipientUnreachableError } from "@nudge/core";
import { mapSmtpError } from "../src/errors.js";
import { providerMessageId } from "../src/smtp.provider.js";

describe("SMTP error mapping (RFC 5321 reply classes, SES throttling replies)", () => {
  it("maps replies onto core errors", () => {
    expect(mapSmtpError({ code: "EENVELOPE", responseCode: 550, command: "RCPT TO", response: "550 5.1.1 <a@b.test> User unknown" })).toBeInstanceOf(RecipientUnreachableError);
    expect(mapSmtpError({ code: "EMESSAGE", responseCode: 554, command: "DATA", response: "554 Message rejected: content" })).toBeInstanceOf(ChannelRejectedError);
    expect(mapSmtpError({ code: "EMESSAGE", responseCode: 451, response: "451 4.3.0 try later" })).toBeInstanceOf(ChannelUnavailableError);
    expect(mapSmtpError({ code: "EMESSAGE", responseCode: 454, response: "454 Throttling failure: Daily message quota exceeded." })).toBeInstanceOf(RateLimitedError);
    expect(mapSmtpError({ code: "EAUTH", responseCode: 535, response: "535 Authentication Credentials Invalid" })).toBeInstanceOf(ChannelRejectedError);
    expect(mapSmtpError({ code: "ECONNECTION", message: "connect ECONNREFUSED 127.0.0.1:25" })).toBeInstanceOf(ChannelUnavailableError);
    const e = mapSmtpError({ code: "EENVELOPE", responseCode: 550, response: "550 <jane@example.com> unknown" });
    expect(e.providerCode).toBe("550");
    expect(e.message).not.toContain("jane@example.com");
  });

  it("marks as not sent only what provably sent nothing: no connection, or a throttling reply", () => {
    // nodemailer's shape for a refused connection and an unknown host (code renamed, socket fields kept).
    expect(mapSmtpError({ code: "ESOCKET", syscall: "connect", errno: -111, command: "CONN", message: "connect ECONNREFUSED 127.0.0.1:1" }).notSent).toBe(true);
    expect(mapSmtpError({ code: "EDNS", syscall: "getaddrinfo", command: "CONN", message: "getaddrinfo ENOTFOUND mail.invalid" }).notSent).toBe(true);
    expect(mapSmtpError({ code: "ECONNECTION", message: "connect ECONNREFUSED 127.0.0.1:25" }).notSent).toBe(true);
    expect(mapSmtpError({ code: "EMESSAGE", responseCode: 454, response: "454 Throttling failure: Maximum sending rate exceeded." }).notSent).toBe(true);
    // The connection dropped or timed out mid-message, or the server answered: the outcome is not provably "nothing sent".
    expect(mapSmtpError({ code: "ECONNECTION", command: "CONN", message: "Connection closed unexpectedly" }).notSent).toBe(false);
    expect(mapSmtpError({ code: "ETIMEDOUT", message: "Timeout" }).notSent).toBe(false);
    expect(mapSmtpError({ code: "EMESSAGE", responseCode: 451, response: "451 4.3.0 try later" }).notSent).toBe(false);
    expect(mapSmtpError({ code: "EMESSAGE", responseCode: 554, response: "554 5.6.0 rejected" }).notSent).toBe(false);
  });

  it("takes SES's id from the 250 reply, and the Message-ID elsewhere", () => {
    expect(providerMessageId("250 Ok 010001668cbaf1d3-7fadface-8253-49c5-ba34-dbb320d8a770-000000", "<x@y>")).toBe(
      "010001668cbaf1d3-7fadface-8253-49c5-ba34-dbb320d8a770-000000",
    );
    expect(providerMessageId("250 2.0.0 Ok: queued as 3CB2B113CB6", "<abc@acme.test>")).toBe("abc@acme.test");
  });
});
