import type { LookupAddress } from "node:dns";
import { lookup } from "node:dns/promises";
import { injectable } from "tsyringe";

/**
 * Resolves a host name for webhook calls: every address it has, the way node:net resolves by default
 * (getaddrinfo through `dns.lookup`). A class of its own so tests can answer with chosen addresses.
 */
@injectable()
export class HostResolver {
  resolve(hostname: string, options: { family?: number | "IPv4" | "IPv6" | undefined; hints?: number | undefined }): Promise<LookupAddress[]> {
    return lookup(hostname, { family: options.family ?? 0, hints: options.hints ?? 0, all: true });
  }
}
