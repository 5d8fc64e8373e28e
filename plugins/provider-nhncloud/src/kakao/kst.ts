/** Korea Standard Time: UTC+9 all year (no daylight saving), the zone NHN writes its times in. */
const KST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** NHN writes local (KST) times without an offset: "2026-03-02 10:00:04" or "2026-03-02T10:00:04". */
export function kstToEpoch(value: string, fallback: number): number {
  const iso = value.trim().replace(" ", "T").replace(/\.\d+$/, "");
  const withTime = /T/.test(iso) ? iso : `${iso}T00:00:00`;
  const t = Date.parse(/[+-]\d\d:?\d\d$|Z$/.test(withTime) ? withTime : `${withTime}+09:00`);
  return Number.isFinite(t) ? t : fallback;
}

/** An instant as NHN's query dates take it: "yyyy-MM-dd HH:mm", KST. */
export function kstMinute(at: number): string {
  return new Date(at + KST_OFFSET_MS).toISOString().slice(0, 16).replace("T", " ");
}
