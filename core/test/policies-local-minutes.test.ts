import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { LocalMinutes } from "../src/policies/recipient-zone.js";

describe("LocalMinutes", () => {
  it("gives the local time floored to the minute, across an offset change and back and forth in time", () => {
    const minutes = new LocalMinutes();
    // New York leaves daylight time at 2026-11-01 06:00 UTC (02:00 EDT -> 01:00 EST).
    const start = Date.parse("2026-11-01T05:58:30.500Z");
    const times = [0, 1, 60_000, 90_000, 120_000, 150_000, 60_000, 3_600_000, 0, -1].map((d) => start + d);
    for (const ms of times) {
      for (const zone of ["America/New_York", "Asia/Seoul", "UTC"]) {
        const got = minutes.at(ms, zone);
        const expected = DateTime.fromMillis(Math.floor(ms / 60_000) * 60_000, { zone });
        expect(got.toISO()).toBe(expected.toISO());
        expect(got.zoneName).toBe(zone);
      }
    }
  });
});
