import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

/** The environment without npm's run-script variables (npm_config_local_prefix …), which would point a child npm at this repository. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return { ...env, ...extra };
}

export interface Ran {
  stdout: string;
  stderr: string;
  status: number | null;
}

export function run(cmd: string, args: string[], cwd: string, timeoutMs: number, env: Record<string, string> = {}): Ran {
  const r = spawnSync(cmd, args, { cwd, env: cleanEnv(env), encoding: "utf8", timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * better-sqlite3's install script (prebuild-install) downloads a prebuilt binary or, when it cannot, compiles
 * SQLite for minutes. This repository's node_modules already holds a binary built for this Node: packed as the
 * release asset prebuild-install looks for and offered through its local-prebuilds setting
 * (`npm_config_better_sqlite3_local_prebuilds`, https://github.com/prebuild/prebuild-install#local-prebuilds), the
 * script uses it when the versions match, and compiles otherwise. Returns the environment to install with.
 */
export function betterSqlitePrebuild(root: string, dir: string): Record<string, string> {
  const pkgDir = join(root, "node_modules/better-sqlite3");
  if (!existsSync(join(pkgDir, "build/Release/better_sqlite3.node"))) return {};
  const { version } = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")) as { version: string };
  const asset = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  mkdirSync(dir, { recursive: true });
  const tar = spawnSync("tar", ["-czf", join(dir, asset), "-C", pkgDir, "build/Release/better_sqlite3.node"]);
  return tar.status === 0 ? { npm_config_better_sqlite3_local_prebuilds: dir } : {};
}
