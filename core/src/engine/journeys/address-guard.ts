import ipaddr from "ipaddr.js";
import { NudgeError } from "../../errors.js";

/**
 * Which addresses a webhook step may connect to: only globally routable unicast ones. The ranges come
 * from ipaddr.js (`range()`, https://github.com/whitequark/ipaddr.js#readme, after the IANA special-purpose
 * registries of RFC 6890), which names every special block; everything it does not call "unicast" is
 * refused. IPv6 forms that carry an IPv4
 * address (RFC 4291 mapped, RFC 6145 translated, RFC 6052 NAT64, RFC 3056 6to4, RFC 4380 Teredo) are
 * judged by the IPv4 addresses inside them, since that is where the packets end up.
 */

type IPv4 = ipaddr.IPv4;
type IPv6 = ipaddr.IPv6;

/** 2000::/3, the only IPv6 block IANA allocates as global unicast; outside it nothing is routable. */
const GLOBAL_UNICAST = ipaddr.parseCIDR("2000::/3");
/** RFC 6052's well-known NAT64 prefix; 64:ff9b:1::/48 (RFC 8215) is for local use and is refused. */
const NAT64_WELL_KNOWN = ipaddr.parseCIDR("64:ff9b::/96");
/** RFC 4291 §2.5.5.1: "IPv4-compatible" addresses, deprecated; hosts may still route them as IPv4. */
const IPV4_COMPATIBLE = ipaddr.parseCIDR("::/96");

/**
 * Why `address` is not a public unicast address (a range name such as "loopback" or "6to4 of
 * 127.0.0.1: loopback"), or null when it is one. Anything that is not an IP address is refused too:
 * callers pass IP literals and resolved addresses, never host names.
 */
export function nonPublicReason(address: string): string | null {
  let ip: IPv4 | IPv6;
  try {
    ip = ipaddr.parse(address);
  } catch {
    return "not an IP address";
  }
  return ip.kind() === "ipv4" ? v4Reason(ip as IPv4) : v6Reason(ip as IPv6);
}

function v4Reason(ip: IPv4): string | null {
  const range = ip.range();
  return range === "unicast" ? null : range;
}

function v6Reason(ip: IPv6): string | null {
  const range: string = ip.range();
  switch (range) {
    case "ipv4Mapped":
    case "rfc6145":
      return embedded(range, [v4At(ip, 6)]);
    case "rfc6052":
      return ip.match(NAT64_WELL_KNOWN) ? embedded("NAT64", [v4At(ip, 6)]) : "NAT64 local-use prefix";
    case "6to4":
      return embedded(range, [v4At(ip, 1)]);
    case "teredo":
      // RFC 4380 §4: the server's address is bits 32–63, the client's the last 32 bits inverted.
      return embedded(range, [v4At(ip, 2), v4At(ip, 6, 0xffff)]);
    case "unicast":
      if (ip.match(GLOBAL_UNICAST)) return null;
      return ip.match(IPV4_COMPATIBLE) ? `deprecated IPv4-compatible form of ${v4At(ip, 6).toString()}` : "reserved";
    default:
      return range;
  }
}

/**
 * The IPv4 address in 16-bit groups `at` and `at + 1`, each XORed with `mask`. Written here because
 * ipaddr.js extracts only the mapped form (`toIPv4Address`), not NAT64, 6to4 or Teredo.
 */
function v4At(ip: IPv6, at: number, mask = 0): IPv4 {
  const hi = (ip.parts[at] ?? 0) ^ mask;
  const lo = (ip.parts[at + 1] ?? 0) ^ mask;
  return new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
}

function embedded(form: string, inner: IPv4[]): string | null {
  for (const v4 of inner) {
    const reason = v4Reason(v4);
    if (reason) return `${form} of ${v4.toString()}: ${reason}`;
  }
  return null;
}

export const ADDRESS_REFUSED = "NUDGE_WEBHOOK_ADDRESS_REFUSED";

export function refusedAddress(host: string, address: string, reason: string): NudgeError {
  return new NudgeError(ADDRESS_REFUSED, `refused: ${host} is the non-public address ${address} (${reason}; allow it in settings.journeys.webhooks)`, {
    details: { host, address, reason },
  });
}
