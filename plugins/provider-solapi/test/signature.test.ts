import { describe, expect, it } from "vitest";
import { parseSolapiAuthorization, solapiAuthorization, solapiSignature } from "../src/solapi-auth.js";

describe("Solapi request signature, byte for byte", () => {
  it("Solapi: hex HMAC-SHA256 of date + salt keyed with the API secret", () => {
    // Solapi publishes header examples without their secret, so the expected values were computed with an
    // independent implementation: printf '%s' "<date><salt>" | openssl dgst -sha256 -hmac "<secret>".
    expect(solapiSignature("solapi-example-secret", "2019-07-01T00:41:48Z", "jqsba2jxjnrjor")).toBe("9ee00e0c54b03ff2883b4f8e1f23156d515780ace2a5e973abd957981f95092f");
    const header = solapiAuthorization("NCSAYU7YDBXYORXC", "solapi-secret-1", Date.parse("2026-03-02T01:00:00Z"), "salt0123456789abcdef");
    expect(header).toBe(
      "HMAC-SHA256 apiKey=NCSAYU7YDBXYORXC, date=2026-03-02T01:00:00.000Z, salt=salt0123456789abcdef, signature=ea7e81ddf01acb71a8f04af5d4065f2d23c3415e7278ff26c00e730696b8b9e5",
    );
    expect(parseSolapiAuthorization(header)).toMatchObject({ apiKey: "NCSAYU7YDBXYORXC", salt: "salt0123456789abcdef" });
  });

  it("Solapi: every request gets a fresh salt (a signature is accepted once)", () => {
    const a = parseSolapiAuthorization(solapiAuthorization("k", "s", 0))!;
    const b = parseSolapiAuthorization(solapiAuthorization("k", "s", 0))!;
    expect(a.salt).not.toBe(b.salt);
    expect(a.salt).toHaveLength(32);
  });
});
