import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nonPublicReason } from "../src/engine/journeys/address-guard.js";
import { hookCall, recordingServer, webhookClient } from "./webhook-support.js";

/**
 * Which webhook hosts are refused, as a journey author could write them. Every URL goes through WHATWG
 * URL parsing first (as the client does), so the numeric IPv4 spellings arrive as 127.0.0.1. Teredo
 * forms use the server 65.54.227.120 (4136:e378) unless the server is the point; the client's address
 * is stored inverted (RFC 4380 §4): 127.0.0.1 -> 80ff:fffe, 10.0.0.1 -> f5ff:fffe, 93.184.216.34 -> a247:27dd.
 */
const refused: [url: string, reason: RegExp][] = [
  ["http://127.0.0.1", /^loopback$/],
  ["http://127.255.255.254", /^loopback$/],
  ["http://127.1", /^loopback$/],
  ["http://2130706433", /^loopback$/],
  ["http://0x7f.1", /^loopback$/],
  ["http://017700000001", /^loopback$/],
  ["http://0177.0.0.1", /^loopback$/],
  ["https://0x7f000001", /^loopback$/],
  ["http://0.0.0.0", /^unspecified$/],
  ["http://0", /^unspecified$/],
  ["http://10.0.0.1", /^private$/],
  ["http://172.16.5.4", /^private$/],
  ["http://172.31.255.255", /^private$/],
  ["http://192.168.1.1", /^private$/],
  ["http://100.64.0.1", /^carrierGradeNat$/],
  ["http://169.254.169.254", /^linkLocal$/],
  ["http://192.0.0.8", /^reserved$/],
  ["http://192.0.2.10", /^reserved$/],
  ["http://198.18.0.1", /^reserved$/],
  ["http://198.51.100.7", /^reserved$/],
  ["http://203.0.113.9", /^reserved$/],
  ["http://192.88.99.1", /^reserved$/],
  ["http://240.0.0.1", /^reserved$/],
  ["http://224.0.0.1", /^multicast$/],
  ["http://255.255.255.255", /^broadcast$/],
  ["http://[::]", /^unspecified$/],
  ["http://[::1]", /^loopback$/],
  ["http://[::127.0.0.1]", /^deprecated IPv4-compatible form of 127\.0\.0\.1$/],
  ["http://[::93.184.216.34]", /^deprecated IPv4-compatible form of 93\.184\.216\.34$/],
  ["http://[::ffff:127.0.0.1]", /^ipv4Mapped of 127\.0\.0\.1: loopback$/],
  ["http://[::ffff:7f00:1]", /^ipv4Mapped of 127\.0\.0\.1: loopback$/],
  ["http://[0:0:0:0:0:ffff:a9fe:a9fe]", /^ipv4Mapped of 169\.254\.169\.254: linkLocal$/],
  ["http://[::ffff:0:a00:1]", /^rfc6145 of 10\.0\.0\.1: private$/],
  ["http://[64:ff9b::7f00:1]", /^NAT64 of 127\.0\.0\.1: loopback$/],
  ["http://[64:ff9b::10.0.0.1]", /^NAT64 of 10\.0\.0\.1: private$/],
  ["http://[64:ff9b:1::5db8:d822]", /^NAT64 local-use prefix$/],
  ["http://[2002:7f00:1::]", /^6to4 of 127\.0\.0\.1: loopback$/],
  ["http://[2002:a9fe:a9fe::1]", /^6to4 of 169\.254\.169\.254: linkLocal$/],
  ["http://[2001:0:4136:e378:8000:63bf:80ff:fffe]", /^teredo of 127\.0\.0\.1: loopback$/],
  ["http://[2001:0:4136:e378:8000:63bf:f5ff:fffe]", /^teredo of 10\.0\.0\.1: private$/],
  ["http://[2001:0:a00:1:8000:63bf:a247:27dd]", /^teredo of 10\.0\.0\.1: private$/],
  ["http://[fe80::1]", /^linkLocal$/],
  ["http://[fc00::1]", /^uniqueLocal$/],
  ["http://[fd12:3456::1]", /^uniqueLocal$/],
  ["http://[fec0::1]", /^deprecatedSiteLocal$/],
  ["http://[ff02::1]", /^multicast$/],
  ["http://[2001:db8::1]", /^reserved$/],
  ["http://[100::1]", /^discard$/],
  ["http://[2001:2::1]", /^benchmarking$/],
  ["http://[2001:3::1]", /^amt$/],
  ["http://[2001:20::1]", /^orchid2$/],
  ["http://[::1:2:3:4]", /^reserved$/],
  ["http://[5f00::1]", /^segmentRouting$/],
];

const allowed: string[] = [
  "http://93.184.216.34",
  "http://1572395042", // 93.184.216.34 written as one number
  "http://8.8.8.8",
  "http://172.32.0.1", // just past 172.16.0.0/12
  "http://100.128.0.1", // just past 100.64.0.0/10
  "http://[2606:2800:220:1:248:1893:25c8:1946]",
  "http://[2a00:1450:4001:80e::200e]",
  "http://[::ffff:93.184.216.34]",
  "http://[64:ff9b::5db8:d822]",
  "http://[2002:5db8:d822::1]",
  "http://[2001:0:4136:e378:8000:63bf:a247:27dd]",
];

/** The address the client checks: the URL's host without IPv6 brackets. */
function addressOf(url: string): string {
  return new URL(url).hostname.replace(/^\[|\]$/g, "");
}

describe("webhook address guard: which addresses are refused", () => {
  let server: Awaited<ReturnType<typeof recordingServer>>;
  beforeAll(async () => (server = await recordingServer()));
  afterAll(() => server.close());

  it.each(refused)("%s is refused (%s)", async (url, reason) => {
    expect(nonPublicReason(addressOf(url))).toMatch(reason);
    // Through the client, on the port of a live local server: nothing may arrive there.
    const withPort = new URL(url);
    withPort.port = String(server.port);
    const answer = await webhookClient().post(hookCall(withPort.href));
    expect(answer).toMatchObject({ ok: false, status: null, retryable: false, error: expect.stringMatching(/^refused: .* is the non-public address /) });
    expect(server.hits).toEqual([]);
  });

  it.each(allowed)("%s is a public address", (url) => {
    expect(nonPublicReason(addressOf(url))).toBeNull();
  });

  it("an answer that is not an IP address is refused, not passed on", () => {
    expect(nonPublicReason("localhost")).toBe("not an IP address");
  });
});
