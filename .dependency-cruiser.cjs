/**
 * The allowed directions of dependencies (docs/architecture.md): domain ← ports ← engine ← facade inside the
 * core; plugins use only @nudge/core's public entries and their declared dependencies; channels never import
 * providers; the core imports no plugin. Run by `npm run deps` (part of `npm test`).
 */
module.exports = {
  forbidden: [
    { name: "no-cycles", severity: "error", comment: "Import cycles make load order matter and hide layering.", from: { path: "^(core|plugins|adapters)/[^/]+/?src/|^core/src/" }, to: { circular: true } },
    { name: "domain-is-the-bottom", severity: "error", comment: "Domain types import only zod, other domain files and errors.", from: { path: "^core/src/domain/" }, to: { path: "^core/src/", pathNot: "^core/src/(domain/|errors\\.ts)" } },
    { name: "ports-do-not-import-the-engine", severity: "error", from: { path: "^core/src/(ports/|tokens\\.ts|plugin\\.ts|errors\\.ts)" }, to: { path: "^core/src/(engine|policies|template|testkit)/" } },
    { name: "core-imports-no-plugin", severity: "error", comment: "The engine never imports a plugin or an adapter.", from: { path: "^core/src/" }, to: { path: "^(plugins|adapters|examples)/" } },
    { name: "plugins-use-the-public-entry", severity: "error", comment: "Plugins, adapters and examples import @nudge/core's entry or its testkit, never its files.", from: { path: "^(plugins|adapters|examples)/" }, to: { path: "^core/", pathNot: "^core/(src|dist)/(index|testkit/index)\\.(ts|js|d\\.ts)$" } },
    { name: "channels-never-import-providers", severity: "error", comment: "A channel picks providers by id at boot; a provider may import its channel's types, not the reverse.", from: { path: "^plugins/channel-[^/]+/src/" }, to: { path: "^plugins/provider-" } },
    { name: "plugins-do-not-import-adapters", severity: "error", from: { path: "^plugins/" }, to: { path: "^adapters/" } },
    { name: "no-undeclared-dependencies", severity: "error", comment: "A package's source imports only what its package.json declares.", from: { path: "^(core|plugins|adapters)/" }, to: { dependencyTypes: ["npm-no-pkg", "npm-unknown"] } },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(dist|node_modules)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.base.json" },
    combinedDependencies: false,
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "types", "default"], mainFields: ["types", "main"] },
  },
};
