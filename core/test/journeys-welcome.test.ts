import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { FakeClock, journey } from "@nudge/core";
import { advance, DAY, HOUR, publish, start, testChannels } from "./journeys-support.js";

const welcome = journey("welcome")
  .on("signed_up")
  .entry({ reentry: "never" })
  .wait("first-10am", { until: { time: "10:00" } })
  .send("day1", { channel: "sms", content: { text: "Welcome, {{ profile.traits.name }}" } })
  .wait("second-10am", { until: { time: "10:00", after: "P1D" } })
  .send("day2", { channel: "sms", content: { text: "Tip of day 2" } })
  .wait("third-10am", { until: { time: "10:00", after: "P1D" } })
  .send("day3", { channel: "sms", content: { text: "Tip of day 3" } })
  .build();

const local = (at: number, zone: string) => DateTime.fromMillis(at, { zone }).toFormat("ccc yyyy-MM-dd HH:mm");

describe("journeys: a 3-day welcome series at 10:00 in each recipient's time zone", () => {
  it("Seoul and New York each get days 1-3 at 10:00 local, across New York's switch to daylight time", async () => {
    const channels = testChannels(["sms"]);
    // Friday 2026-03-06 00:00 UTC: 09:00 in Seoul, Thursday 19:00 in New York. New York moves to EDT on Sunday 8 March.
    const { nudge, clock } = await start({ channels: channels.plugin, clock: new FakeClock("2026-03-06T00:00:00Z") });
    await publish(nudge, welcome);
    await nudge.identify({ userId: "seoul", traits: { name: "Minji", timezone: "Asia/Seoul" } });
    await nudge.identify({ userId: "ny", traits: { name: "Sam", timezone: "America/New_York" } });
    await nudge.track({ userId: "seoul", event: "signed_up" });
    await nudge.track({ userId: "ny", event: "signed_up" });
    await nudge.drain();
    for (let h = 0; h < 4 * 24; h++) await advance(nudge, clock, HOUR);

    const seen = (to: string, zone: string) => channels.calls.filter((c) => c.to === to).map((c) => `${local(c.at, zone)} ${c.text}`);
    expect(seen("seoul", "Asia/Seoul")).toEqual(["Fri 2026-03-06 10:00 Welcome, Minji", "Sat 2026-03-07 10:00 Tip of day 2", "Sun 2026-03-08 10:00 Tip of day 3"]);
    expect(seen("ny", "America/New_York")).toEqual(["Fri 2026-03-06 10:00 Welcome, Sam", "Sat 2026-03-07 10:00 Tip of day 2", "Sun 2026-03-08 10:00 Tip of day 3"]);
    // The same wall-clock time is a different UTC hour once daylight time starts.
    expect(channels.calls.filter((c) => c.to === "ny").map((c) => new Date(c.at).toISOString().slice(11, 16))).toEqual(["15:00", "15:00", "14:00"]);
    await nudge.stop();
  });

  it("a recipient without a zone gets 10:00 in the workspace's zone", async () => {
    const channels = testChannels(["sms"]);
    const { nudge, clock } = await start({ channels: channels.plugin, clock: new FakeClock("2026-03-06T00:00:00Z"), settings: { timezone: "Europe/Paris" } });
    await publish(nudge, welcome);
    await nudge.identify({ userId: "nozone", traits: { name: "Léa" } });
    await nudge.track({ userId: "nozone", event: "signed_up" });
    await nudge.drain();
    await advance(nudge, clock, DAY);
    expect(channels.calls.map((c) => local(c.at, "Europe/Paris"))).toEqual(["Fri 2026-03-06 10:00"]);
    await nudge.stop();
  });

  it("'next 10:00 on a weekday': signing up on Friday afternoon waits for Monday", async () => {
    const channels = testChannels(["sms"]);
    const { nudge, clock } = await start({ channels: channels.plugin, clock: new FakeClock("2026-03-06T06:00:00Z") }); // Fri 15:00 in Seoul
    await publish(nudge, {
      id: "weekday",
      trigger: { type: "event", event: "signed_up" },
      steps: [
        { id: "weekday-10am", type: "wait", until: { time: "10:00", days: ["mon", "tue", "wed", "thu", "fri"] }, next: "hello" },
        { id: "hello", type: "send", channel: "sms", content: { text: "Hello" } },
      ],
    });
    await nudge.identify({ userId: "kim", traits: { timezone: "Asia/Seoul" } });
    await nudge.track({ userId: "kim", event: "signed_up" });
    await nudge.drain();
    await advance(nudge, clock, 2 * DAY);
    expect(channels.calls).toEqual([]);
    await advance(nudge, clock, 2 * DAY);
    expect(channels.calls.map((c) => local(c.at, "Asia/Seoul"))).toEqual(["Mon 2026-03-09 10:00"]);
    await nudge.stop();
  });
});
