import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { defineConfig } from "vitest/config";

// Tests run against the TypeScript sources: map every workspace package (and its subpath exports) to src/.
const root = import.meta.dirname;
const alias: { find: string | RegExp; replacement: string }[] = [];
for (const group of ["core", "plugins", "adapters"]) {
  const dirs = group === "core" ? [join(root, "core")] : existsSync(join(root, group)) ? readdirSync(join(root, group)).map((d) => join(root, group, d)) : [];
  for (const dir of dirs) {
    const pkgFile = join(dir, "package.json");
    if (!existsSync(pkgFile)) continue;
    const pkg = JSON.parse(readFileSync(pkgFile, "utf8")) as { name: string; exports?: Record<string, unknown> };
    for (const sub of Object.keys(pkg.exports ?? { ".": null })) {
      const name = sub === "." ? pkg.name : `${pkg.name}/${sub.slice(2)}`;
      const src = sub === "." ? "src/index.ts" : `src/${sub.slice(2)}/index.ts`;
      if (existsSync(join(dir, src))) alias.push({ find: new RegExp(`^${name.replace(/[/.]/g, "\\$&")}$`), replacement: resolve(dir, src) });
    }
  }
}

export default defineConfig({
  resolve: { alias },
  // Legacy (experimentalDecorators) parameter decorators for tsyringe, WITHOUT decorator metadata: tests run the
  // way tsx and esbuild run the code, which proves every constructor parameter has an explicit @inject token.
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: false } },
  test: {
    include: ["core/test/**/*.test.ts", "plugins/*/test/**/*.test.ts", "adapters/*/test/**/*.test.ts", "examples/*/test/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
  },
});
