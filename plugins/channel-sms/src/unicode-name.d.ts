// unicode-name ships no types; this declares the one function the plugin uses.
declare module "unicode-name" {
  export function unicodeName(char: string | number): string | undefined;
}
