import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { requireServices } from "@nudge/core/testkit";
import { fakeTwilio, twilioSignature } from "./fake-twilio.js";
import { betterSqlitePrebuild, cleanEnv, freePort, run } from "./outside-app-support.js";

/**
 * An Express app outside the repository installs the packed tarballs (never workspace links) with npm, type-checks
 * against their declarations with `strict` and `skipLibCheck: false`, and serves the API: identify, track, the
 * journey's sandbox and Twilio sends, and a signed Twilio status callback that marks the text delivered.
 */
const root = resolve(import.meta.dirname, "..");
const FIXTURE = join(root, "test/outside-app");
const rootPkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
const INSTALL_MS = 8 * 60_000;
const KEYS = { ingest: "nk_ingest_outside_app_test_key_0001", admin: "nk_admin_outside_app_test_key_00001" };
const TWILIO = { accountSid: `AC${"a".repeat(32)}`, authToken: "twilio-auth-token-for-the-test", from: "+14155550100" };
const PHONE = "+14155552671";
/** What the app needs from the packs: what it imports, and storage-sql-common, which storage-sqlite depends on. */
const NEEDED = ["core", "express", "storage-sqlite", "storage-sql-common", "channel-sms", "provider-twilio"];

interface Message { channel: string; status: string; attempts: { provider: string; providerMessageId?: string }[] }
interface RunningApp { base: string; output: string; exited: Promise<unknown>; stop(): void }

describe("an Express app outside the repository, installed from the packed tarballs", () => {
  let work = "";
  let app = "";
  let packed: { name: string; filename: string; files: { path: string }[] }[] = [];
  let twilio: Awaited<ReturnType<typeof fakeTwilio>>;
  const children: ChildProcess[] = [];
  /** Why the tests skip: the registry (express, typescript and the packages' own dependencies) is out of reach. */
  let unavailable: string | undefined;

  beforeAll(async () => {
    if (run("npm", ["ping"], root, 30_000).status !== 0) {
      const message = "the npm registry is not reachable (npm ping failed)";
      if (requireServices()) throw new Error(`${message}, and NUDGE_REQUIRE_SERVICES=1 requires it`);
      unavailable = `${message}; skipped (set NUDGE_REQUIRE_SERVICES=1 to fail instead)`;
      return;
    }
    work = realpathSync(mkdtempSync(join(tmpdir(), "nudge-outside-")));
    app = join(work, "app");
    const pack = run(process.execPath, [join(root, "scripts/pack-all.mjs"), "--out", join(work, "packages"), "--json"], root, INSTALL_MS);
    expect(pack.status, pack.stderr).toBe(0);
    packed = JSON.parse(pack.stdout) as typeof packed;
    cpSync(FIXTURE, app, { recursive: true, filter: (src) => !/[/\\](node_modules|dist)$/.test(src) });
    const tarballs = NEEDED.map((n) => join(work, "packages", packed.find((p) => p.name === `@nudge/${n}`)!.filename));
    const deps = ["express@^5", `typescript@${rootPkg.devDependencies["typescript"]}`, "@types/express@^5", `@types/node@${rootPkg.devDependencies["@types/node"]}`];
    const prebuild = betterSqlitePrebuild(root, join(work, "prebuilds"));
    const install = run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", ...tarballs, ...deps], app, INSTALL_MS, prebuild);
    expect(install.status, `npm install failed:\n${install.stderr}`).toBe(0);
    twilio = await fakeTwilio();
  }, INSTALL_MS);

  afterAll(async () => {
    for (const child of children.filter((c) => c.exitCode === null)) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
    await new Promise((r) => (twilio ? twilio.server.close(r) : r(undefined)));
    if (work) rmSync(work, { recursive: true, force: true });
  }, 30_000);

  it("lives outside the repository and got every @nudge package from a tarball, with its README and LICENSE", (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    expect(app.startsWith(root)).toBe(false);
    for (const p of packed) {
      const files = p.files.map((f) => f.path);
      expect(files, p.name).toEqual(expect.arrayContaining(["package.json", "README.md", "LICENSE", "dist/index.js", "dist/index.d.ts"]));
    }
    const lock = JSON.parse(readFileSync(join(app, "package-lock.json"), "utf8")) as { packages: Record<string, { resolved?: string; link?: boolean }> };
    const nudgePkgs = Object.entries(lock.packages).filter(([path]) => path.startsWith("node_modules/@nudge/"));
    expect(nudgePkgs.map(([path]) => path.slice("node_modules/".length)).sort()).toEqual(NEEDED.map((n) => `@nudge/${n}`).sort());
    for (const [path, entry] of nudgePkgs) expect(entry.link, path).toBeUndefined();
    for (const [path, entry] of nudgePkgs) expect(entry.resolved, path).toMatch(/\.tgz$/);
  });

  it("type-checks and builds with strict and skipLibCheck: false", (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const tsc = run(process.execPath, [join(app, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], app, 120_000);
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
    expect(readdirSync(join(app, "dist")).sort()).toEqual(expect.arrayContaining(["nudge.js", "server.js"]));
  }, 120_000);

  it("has no missing, invalid or extraneous dependency (npm ls --all), and one copy of @nudge/core", (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const ls = run("npm", ["ls", "--all", "--json"], app, 60_000);
    const tree = JSON.parse(ls.stdout) as { problems?: string[] };
    expect(tree.problems ?? [], ls.stderr).toEqual([]);
    expect(ls.status).toBe(0);
    const cores = run("npm", ["ls", "@nudge/core", "--all", "--parseable"], app, 60_000).stdout.trim().split("\n");
    expect(new Set(cores)).toEqual(new Set([join(app, "node_modules/@nudge/core")]));
  }, 120_000);

  /** Starts the built app on a free port with `env`; resolves once it listens. */
  async function startApp(name: string, env: Record<string, string>): Promise<RunningApp> {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, ["dist/server.js"], {
      cwd: app,
      env: cleanEnv({
        PORT: String(port),
        PUBLIC_URL: base,
        NUDGE_DB: join(work, name, "nudge.db"),
        NUDGE_LINK_SECRET: "a-link-secret-for-the-outside-app-test",
        NUDGE_INGEST_KEY: KEYS.ingest,
        NUDGE_ADMIN_KEY: KEYS.admin,
        NUDGE_LOG_LEVEL: "warn",
        ...env,
      }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    const running: RunningApp = { base, output: "", exited: new Promise((r) => child.once("exit", r)), stop: () => child.kill("SIGTERM") };
    child.stdout!.on("data", (c: Buffer) => (running.output += c.toString("utf8")));
    child.stderr!.on("data", (c: Buffer) => (running.output += c.toString("utf8")));
    await vi.waitFor(() => {
      if (child.exitCode !== null) throw new Error(`the app exited (${child.exitCode}):\n${running.output}`);
      expect(running.output).toContain(`listening on ${base}`);
    }, { timeout: 30_000, interval: 100 });
    return running;
  }

  /** identify u1 with a US number, track signed_up, and wait until both of the journey's messages are sent. */
  async function signUp(base: string): Promise<Message[]> {
    const post = (path: string, body: unknown) =>
      fetch(`${base}${path}`, { method: "POST", headers: { authorization: `Bearer ${KEYS.ingest}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await post("/nudge/v1/identify", { userId: "u1", traits: { name: "Minji", phone: PHONE } })).status).toBe(202);
    expect((await post("/nudge/v1/track", { userId: "u1", event: "signed_up" })).status).toBe(202);
    return vi.waitFor(async () => {
      const items = await messages(base);
      expect(items.map((m) => [m.channel, m.status]).sort()).toEqual([["sandbox", "sent"], ["sms", "sent"]]);
      return items;
    }, { timeout: 20_000, interval: 200 });
  }

  async function messages(base: string): Promise<Message[]> {
    const res = await fetch(`${base}/nudge/v1/messages?userId=u1`, { headers: { authorization: `Bearer ${KEYS.admin}` } });
    return ((await res.json()) as { items: Message[] }).items;
  }

  it("serves identify and track after the app's own express.json(), texts through Twilio, and applies a signed delivery report", async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const running = await startApp("with-twilio", {
      TWILIO_ACCOUNT_SID: TWILIO.accountSid,
      TWILIO_AUTH_TOKEN: TWILIO.authToken,
      TWILIO_FROM: TWILIO.from,
      TWILIO_BASE_URL: twilio.url,
    });
    const { base } = running;
    const sent = await signUp(base);
    expect(running.output).toContain("[sandbox] sandbox to");
    expect(running.output).toContain("Welcome, Minji!");

    const callbackUrl = `${base}/nudge/v1/webhooks/sms/twilio`;
    expect(twilio.calls).toHaveLength(1);
    expect(twilio.calls[0]!.path).toBe(`/2010-04-01/Accounts/${TWILIO.accountSid}/Messages.json`);
    expect(twilio.calls[0]!.auth).toBe(`Basic ${Buffer.from(`${TWILIO.accountSid}:${TWILIO.authToken}`).toString("base64")}`);
    expect(twilio.calls[0]!.form).toMatchObject({ To: PHONE, From: TWILIO.from, StatusCallback: callbackUrl, Body: "Hi Minji, thanks for signing up." });
    const sid = sent.find((m) => m.channel === "sms")!.attempts.at(-1)!.providerMessageId!;
    expect(sid).toMatch(/^SM[0-9a-f]{32}$/);

    const report = { MessageSid: sid, MessageStatus: "delivered", To: PHONE };
    const deliver = (signature: string) =>
      fetch(callbackUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature },
        body: new URLSearchParams(report).toString(),
      });
    const sms = async () => (await messages(base)).find((m) => m.channel === "sms")!;
    // Signed over other parameters: 401 with the signature error code, nothing applied.
    const forged = await deliver(twilioSignature(TWILIO.authToken, callbackUrl, { ...report, MessageStatus: "failed" }));
    expect([forged.status, forged.headers.get("content-type")]).toEqual([401, expect.stringContaining("application/problem+json")]);
    expect(((await forged.json()) as { code: string }).code).toBe("NUDGE_WEBHOOK_SIGNATURE");
    expect((await sms()).status).toBe("sent");
    const ok = await deliver(twilioSignature(TWILIO.authToken, callbackUrl, report));
    expect(ok.status, await ok.clone().text()).toBe(200);
    await vi.waitFor(async () => expect((await sms()).status).toBe("delivered"), { timeout: 10_000, interval: 100 });
    running.stop();
    expect(await running.exited).toBe(0);
  }, 90_000);

  it("without Twilio settings, sends both messages to the sandbox and prints them", async (ctx) => {
    if (unavailable) ctx.skip(unavailable);
    const running = await startApp("sandbox-only", {});
    const sent = await signUp(running.base);
    expect(sent.find((m) => m.channel === "sms")!.attempts.at(-1)!.provider).toBe("sandbox");
    expect(running.output).toContain("Welcome, Minji!");
    expect(running.output).toContain(`[sandbox] sms to ${PHONE}`);
    running.stop();
    expect(await running.exited).toBe(0);
  }, 60_000);
});
