import { z } from "zod";
import { storageMemory } from "@nudge/storage-memory";
import {
  createNudge,
  definePlugin,
  FakeClock,
  sandboxChannel,
  silentLogger,
  Tokens,
  type Channel,
  type JourneyDefinitionInput,
  type Nudge,
  type PluginSpec,
} from "@nudge/core";

export const welcomeJourney: JourneyDefinitionInput = {
  id: "welcome",
  trigger: { type: "event", event: "signed_up" },
  steps: [
    {
      id: "hello",
      type: "send",
      channel: "sandbox",
      content: { text: "Welcome, {{ profile.traits.name | default: 'friend' }}! Your plan: {{ event.properties.plan }}." },
    },
  ],
};

export async function makeNudge(options: { workspace?: string; plugins?: PluginSpec[]; clock?: FakeClock } = {}): Promise<{ nudge: Nudge; clock: FakeClock }> {
  const clock = options.clock ?? new FakeClock("2026-03-02T01:00:00Z");
  const nudge = await createNudge({
    workspace: options.workspace ?? "acme",
    plugins: options.plugins ?? [storageMemory(), sandboxChannel()],
    logger: silentLogger(),
    clock,
  });
  return { nudge, clock };
}

export async function publish(nudge: Nudge, def: JourneyDefinitionInput): Promise<void> {
  await nudge.journeys.put(def);
  await nudge.journeys.publish(def.id);
}

/** A channel whose sends wait until released: for in-flight and ordering tests. */
export function gatedChannel(id = "gated") {
  const started: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const plugin = definePlugin({
    id: `channel-${id}`,
    kind: "channel",
    configSchema: z.object({}),
    register(ctx) {
      const channel: Channel<{ text: string }> = {
        id,
        providers: ["test"],
        contentSchema: z.object({ text: z.string() }),
        address: (p) => p.userId,
        async send(m) {
          started.push(m.to);
          await gate;
          return { providerMessageId: `g-${m.context.messageId}` };
        },
      };
      ctx.registerInstance(Tokens.Channel, channel as Channel);
    },
  });
  return { plugin: plugin(), started, release: () => release() };
}
