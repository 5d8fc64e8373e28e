import { connect } from "node:net";

/** Whether a missing service must fail the run (CI sets NUDGE_REQUIRE_SERVICES=1) rather than skip. */
export function requireServices(): boolean {
  return process.env["NUDGE_REQUIRE_SERVICES"] === "1";
}

/**
 * Probes a TCP service for tests that need it. Returns true when it answers; otherwise a skip reason,
 * or throws when services are required.
 */
export async function serviceAvailable(name: string, host: string, port: number, timeoutMs = 1500): Promise<true | string> {
  const ok = await new Promise<boolean>((resolve) => {
    const socket = connect({ host, port });
    const done = (v: boolean) => {
      socket.destroy();
      resolve(v);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
  if (ok) return true;
  const message = `${name} is not reachable at ${host}:${port}`;
  if (requireServices()) throw new Error(`${message}, and NUDGE_REQUIRE_SERVICES=1 requires it`);
  return `${message}; skipped (set NUDGE_REQUIRE_SERVICES=1 to fail instead)`;
}
