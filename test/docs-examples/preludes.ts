/**
 * What a `<!-- prelude: name -->` marker puts in front of a docs block before it is type-checked: the imports and
 * the variables a fragment takes for granted. Each line declares one name; a line is left out when the block
 * declares (or imports) that name itself. docs/contributing.md lists these names: keep it in step.
 */
export interface Prelude {
  /** The libraries the block runs with: a Node.js host, a web page, or a service worker. */
  env: "node" | "browser" | "service-worker";
  /** name -> the line that declares it. */
  declares: Record<string, string>;
}

const core = (name: string) => `import { ${name} } from "@nudge/core";`;

/** A host application's module: the Nudge packages it lists, the instance, the Express app, its configuration. */
const host: Record<string, string> = {
  ...Object.fromEntries(
    ["createNudge", "createLogger", "silentLogger", "FakeClock", "policies", "sandboxChannel", "sandboxProvider", "journey"].map((n) => [n, core(n)]),
  ),
  storageSqlite: `import { storageSqlite } from "@nudge/storage-sqlite";`,
  storageMemory: `import { storageMemory } from "@nudge/storage-memory";`,
  storagePostgres: `import { storagePostgres } from "@nudge/storage-postgres";`,
  sms: `import { sms } from "@nudge/channel-sms";`,
  kakao: `import { kakao } from "@nudge/channel-kakao";`,
  email: `import { email } from "@nudge/channel-email";`,
  push: `import { push } from "@nudge/channel-push";`,
  nudgeRouter: `import { nudgeRouter } from "@nudge/express";`,
  express: `import express from "express";`,
  readFileSync: `import { readFileSync } from "node:fs";`,
  /** The instance the host created. */
  nudge: `declare const nudge: import("@nudge/core").Nudge;`,
  /** The host's Express app. */
  app: `declare const app: import("express").Express;`,
  /** Wherever the host keeps its configuration and secrets. */
  env: `declare const env: Record<string, string>;`,
  /** The router's API keys. */
  keys: `declare const keys: import("@nudge/express").RouterOptionsInput["keys"];`,
  /** The host's list of plugins (its other plugins, after the one a block shows). */
  plugins: `declare const plugins: import("@nudge/core").PluginSpec[];`,
  /** A person's profile id (`(await nudge.profiles.find({ userId }))?.id`). */
  profileId: `declare const profileId: string;`,
  /** A journey definition of the host's. */
  definition: `declare const definition: import("@nudge/core").JourneyDefinitionInput;`,
};

export const PRELUDES: Record<string, Prelude> = {
  host: { env: "node", declares: host },
  /** A test file of the host: the host's names, and vitest's. */
  test: { env: "node", declares: { ...host, ...Object.fromEntries(["describe", "it", "expect", "beforeAll", "afterAll"].map((n) => [n, `import { ${n} } from "vitest";`])) } },
  /** A script of the host's web page (the DOM), with the VAPID public key the server handed it. */
  browser: { env: "browser", declares: { VAPID_PUBLIC: `declare const VAPID_PUBLIC: string;` } },
  /** The host's service worker. */
  "service-worker": { env: "service-worker", declares: { self: `declare const self: ServiceWorkerGlobalScope;`, clients: `declare const clients: Clients;` } },
};
