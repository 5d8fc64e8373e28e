/** Korea Standard Time: UTC+9 all year (no daylight saving), the zone NHN writes its times in. */
const KST_OFFSET_MS = 9 * 60 * 60 * 1000;

/**
 * NHN writes local (KST) times, mostly without an offset: "2018-08-10 10:06:42.0" (SMS delivery query),
 * "2026-03-02T10:00:04" (webhooks), "2026-03-02" (dates); sometimes with one: "2020-09-09T11:25:10.000+09:00"
 * (UNSUBSCRIBE). The fallback stands for an absent or unreadable value.
 */
export function kstToEpoch(value: string | null | undefined, fallback: number): number {
  if (!value) return fallback;
  const iso = value.trim().replace(" ", "T");
  if (/[+-]\d\d:?\d\d$|Z$/.test(iso)) {
    const t = Date.parse(iso);
    return Number.isFinite(t) ? t : fallback;
  }
  const local = iso.replace(/\.\d+$/, "");
  const t = Date.parse(`${local.includes("T") ? local : `${local}T00:00:00`}+09:00`);
  return Number.isFinite(t) ? t : fallback;
}

/** An instant as NHN's query dates take it: "yyyy-MM-dd HH:mm", KST. */
export function kstMinute(at: number): string {
  return new Date(at + KST_OFFSET_MS).toISOString().slice(0, 16).replace("T", " ");
}
