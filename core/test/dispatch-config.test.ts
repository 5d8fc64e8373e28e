import { describe, expect, it } from "vitest";
import { PluginConfigError } from "@nudge/core";
import { world } from "./dispatch-world.js";

describe("dispatch: configuration errors name the field", () => {
  it("rejects bad policies() config naming the plugin and the field", async () => {
    const cases: [unknown, string][] = [
      [{ frequencyCaps: [{ id: "daily", max: 0, per: "day" }] }, "frequencyCaps[0].max"],
      [{ frequencyCaps: [{ id: "daily", max: 1, per: "fortnight" }] }, "frequencyCaps[0].per"],
      [{ frequencyCaps: [{ id: "a", max: 1, per: "day" }, { id: "a", max: 2, per: "week" }] }, "frequencyCaps[1].id"],
      [{ quietHours: [{ from: "25:00", to: "08:00" }] }, "quietHours[0].from"],
      [{ quietHours: [{ from: "21:00", to: "21:00" }] }, "quietHours[0].to"],
      [{ quietHours: [{ from: "21:00", to: "08:00", timezone: "Mars/Olympus" }] }, "quietHours[0].timezone"],
      [{ onCapped: "sleep" }, "onCapped"],
      [{ koreanAdRules: { channels: [] } }, "koreanAdRules.channels"],
      [{ koreanAdRules: { channels: ["sms"], optOutPattern: "(" } }, "koreanAdRules.optOutPattern"],
    ];
    for (const [config, path] of cases) {
      const attempt = world({ policies: config as never });
      await expect(attempt).rejects.toBeInstanceOf(PluginConfigError);
      await expect(attempt).rejects.toMatchObject({ pluginId: "policies", issues: [expect.objectContaining({ path })] });
    }
  });

  it("rejects bad dispatch settings naming the field", async () => {
    await expect(world({ settings: { dispatch: { retry: { jitter: 2 } } } })).rejects.toMatchObject({
      pluginId: "core",
      issues: [expect.objectContaining({ path: "settings.dispatch.retry.jitter" })],
    });
  });
});
