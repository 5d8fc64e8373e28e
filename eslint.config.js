// @ts-check
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "**/*.js", "!eslint.config.js", "bench/results/**", "**/.doc-snippet*"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports", disallowTypeAnnotations: false }],
      "no-console": "error",
    },
  },
  {
    // The core holds no vendor code and no framework: plugins and adapters do.
    files: ["core/src/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: ["pg", "better-sqlite3", "bullmq", "ioredis", "nodemailer", "web-push", "express", "iconv-lite", "jose"].map((name) => ({
            name,
            message: "core/ depends on no vendor or framework: put it in a plugin or adapter",
          })),
        },
      ],
    },
  },
  {
    // Host apps, benchmarks, scripts and tests may print.
    files: ["examples/**/*.ts", "bench/**/*.ts", "**/test/**/*.ts", "test/**/*.ts", "**/scripts/**/*.ts"],
    rules: { "no-console": "off" },
  },
);
