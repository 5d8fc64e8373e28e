/**
 * NHN writes local (KST) times, mostly without an offset: "2018-08-10 10:06:42.0" (delivery query),
 * "2026-03-02T10:00:04" (webhooks), sometimes with one: "2020-09-09T11:25:10.000+09:00" (UNSUBSCRIBE).
 */
export function kstToEpoch(value: string | null | undefined, fallback: number): number {
  if (!value) return fallback;
  const iso = value.trim().replace(" ", "T");
  const t = /[+-]\d\d:?\d\d$|Z$/.test(iso) ? Date.parse(iso) : Date.parse(`${iso.replace(/\.\d+$/, "")}+09:00`);
  return Number.isFinite(t) ? t : fallback;
}
