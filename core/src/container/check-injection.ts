import { BootError } from "../errors.js";

// tsyringe keeps `@inject` tokens under this reflect-metadata key (tsyringe/src/reflection-helpers.ts).
const INJECTION_TOKENS = "injectionTokens";

/**
 * Whether decorator metadata exists depends on the compiler (tsc and Vite 8 emit it, tsx and esbuild
 * don't), so every constructor parameter must carry an explicit `@inject(Tokens.X)`. A parameter without
 * one would resolve to `undefined` only under some toolchains: fail at boot everywhere instead.
 */
export function assertInjectable(cls: abstract new (...args: never[]) => unknown): void {
  const tokens = (Reflect.getOwnMetadata(INJECTION_TOKENS, cls) ?? {}) as Record<string, unknown>;
  for (let i = 0; i < cls.length; i++) {
    if (tokens[String(i)] === undefined) {
      throw new BootError(
        "NUDGE_MISSING_INJECT",
        `${cls.name}: constructor parameter ${i} has no @inject(Tokens.X) token; every parameter needs one`,
        { class: cls.name, parameter: i },
      );
    }
  }
}
