import type { LookupAddress, LookupOptions } from "node:dns";
import type { LookupFunction } from "node:net";
import { nonPublicReason, refusedAddress } from "./address-guard.js";
import type { HostResolver } from "./host-resolver.js";

/**
 * A `lookup` for http.request / net.connect (https://nodejs.org/api/net.html#socketconnectoptions-connectlistener)
 * that resolves the name once, refuses it if any address is not public, and hands the checked addresses
 * to the socket, which connects to them without resolving again. Checking the name in a separate step
 * would let a second DNS answer (rebinding) point the connection somewhere else. `allowNonPublic`
 * (hosts the settings allow) resolves the same way without the check.
 */
export function safeLookup(resolver: HostResolver, options: { allowNonPublic?: boolean } = {}): LookupFunction {
  const check = options.allowNonPublic !== true;
  return (hostname: string, options: LookupOptions, callback) => {
    resolver.resolve(hostname, options).then(
      (addresses) => {
        const refused = check ? firstRefused(addresses) : null;
        if (refused) return callback(refusedAddress(hostname, refused.address, refused.reason) as NodeJS.ErrnoException, "");
        const first = addresses[0];
        if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), "");
        if (options.all) return callback(null, addresses);
        callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, ""),
    );
  };
}

function firstRefused(addresses: LookupAddress[]): { address: string; reason: string } | null {
  for (const { address } of addresses) {
    const reason = nonPublicReason(address);
    if (reason) return { address, reason };
  }
  return null;
}
