import { describe, expect, it } from "vitest";
import { sameBytes, twilioSignature } from "../src/signature.js";

describe("Twilio request signature, byte for byte", () => {
  it("base64 HMAC-SHA1 of the URL and sorted parameters (Twilio's published example)", () => {
    // https://www.twilio.com/docs/usage/webhooks/webhooks-security: auth token 12345.
    const params = { CallSid: "CA1234567890ABCDE", Caller: "+12349013030", Digits: "1234", From: "+12349013030", To: "+18005551212" };
    expect(twilioSignature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", params)).toBe("0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
    expect(twilioSignature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", { ...params, Digits: "1235" })).not.toBe("0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
  });

  it("compares signatures byte for byte", () => {
    expect(sameBytes("0/KCTR6DLpKmkAf8muzZqo1nDgQ=", "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")).toBe(true);
    expect(sameBytes("0/KCTR6DLpKmkAf8muzZqo1nDgQ=", "0/KCTR6DLpKmkAf8muzZqo1nDgQ")).toBe(false);
  });
});
