import { afterEach, describe, expect, it } from "vitest";
import { storageMemory } from "@nudge/storage-memory";
import { createNudge, FakeClock, journey, sandboxChannel, silentLogger, ValidationError, type JourneyBuilder, type Nudge } from "@nudge/core";

/**
 * Typed inputs. The `@ts-expect-error` lines are the type tests: `npm run typecheck` (tsconfig.test.json)
 * fails when one of them compiles, i.e. when a wrong call is no longer a type error. The runtime tests show
 * that zod still refuses bad input at run time, naming the field.
 */

type MyEvents = {
  signed_up: { plan: string };
  order_completed: { orderId: string; amount: number };
  app_opened: { screen?: string };
};

/** An `interface` catalog works as well as a type alias. */
interface ShopEvents {
  cart_viewed: { items: number };
}

const options = () => ({ workspace: "acme", plugins: [storageMemory(), sandboxChannel()], logger: silentLogger(), clock: new FakeClock("2026-03-02T01:00:00Z") });

let running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const n of running) await n.stop();
  running = [];
});

async function started<N extends { start(): Promise<void>; stop(): Promise<void> }>(nudge: N): Promise<N> {
  await nudge.start();
  running.push(nudge);
  return nudge;
}

/** Compile-time only: never called. Each line states what a caller's editor and compiler see. */
export async function typeChecks(typed: Nudge<MyEvents>, loose: Nudge, shop: Nudge<ShopEvents>): Promise<void> {
  // A declared event with its properties; properties may be left out when none is required.
  await typed.track({ userId: "u1", event: "signed_up", properties: { plan: "pro" } });
  await typed.track({ userId: "u1", event: "order_completed", properties: { orderId: "o1", amount: 12_000 } });
  await typed.track({ anonymousId: "d1", event: "app_opened" });
  // @ts-expect-error an event name the catalog does not declare
  await typed.track({ userId: "u1", event: "signed_upp", properties: { plan: "pro" } });
  // @ts-expect-error a property of the wrong type
  await typed.track({ userId: "u1", event: "order_completed", properties: { orderId: "o1", amount: "12000" } });
  // @ts-expect-error a required property left out
  await typed.track({ userId: "u1", event: "order_completed", properties: { orderId: "o1" } });
  // @ts-expect-error properties required by the catalog left out
  await typed.track({ userId: "u1", event: "signed_up" });
  await typed.batch([
    { type: "track", userId: "u1", event: "signed_up", properties: { plan: "free" } },
    { type: "identify", userId: "u1", traits: { name: "Minji" } },
  ]);
  // @ts-expect-error a batch item naming an undeclared event
  await typed.batch([{ type: "track", userId: "u1", event: "nope" }]);
  await shop.track({ userId: "u1", event: "cart_viewed", properties: { items: 2 } });
  // @ts-expect-error wrong property type under an interface catalog
  await shop.track({ userId: "u1", event: "cart_viewed", properties: { items: "2" } });

  // Without a catalog: any event name, any properties, as before.
  await loose.track({ userId: "u1", event: "anything_at_all", properties: { nested: { deep: [1, 2] } } });
  // @ts-expect-error the event name must be a string
  await loose.track({ userId: "u1", event: 42 });
  // @ts-expect-error traits are a record, not a string
  await loose.identify({ userId: "u1", traits: "vip" });
  // @ts-expect-error channelFriend is a boolean
  await loose.identify({ userId: "u1", contacts: { kakao: { channelFriend: "no" } } });
  // @ts-expect-error send needs its idempotency key
  await loose.send({ userId: "u1", channel: "sandbox", content: { text: "hi" } });
  // @ts-expect-error a journey definition needs steps and a trigger
  await loose.simulate({ id: "j" });
  // @ts-expect-error a journey step type that does not exist
  await loose.journeys.put({ id: "j", trigger: { type: "event", event: "x" }, steps: [{ id: "s", type: "teleport" }] });
  // @ts-expect-error a segment condition needs its type
  await loose.segments.put({ id: "vip", condition: { trait: "plan", op: "eq", value: "vip" } });
  // @ts-expect-error a template's content is a record
  await loose.templates.put({ id: "t", channel: "sandbox", content: "hi" });

  // A typed instance still goes wherever a plain one is taken (routers, plugin helpers), interface catalogs too.
  const plain: Nudge = typed;
  const plainShop: Nudge = shop;
  const returned: Awaited<ReturnType<typeof createNudge>> = typed;
  await plain.track({ userId: "u1", event: "any_name_through_a_plain_view" });
  void [plainShop, returned];
  // A typed builder goes wherever a plain one is taken.
  const addTip = (b: JourneyBuilder) => b.send("tip", { channel: "sandbox", content: { text: "tip" } });
  addTip(journey<MyEvents>("welcome").on("signed_up"));

  // The builder checks event names against the catalog too.
  journey<MyEvents>("welcome").on("signed_up").exitOn("order_completed").goal({ event: "order_completed", within: "P7D" });
  // @ts-expect-error an undeclared trigger event
  journey<MyEvents>("welcome").on("signed_upp");
  // @ts-expect-error an undeclared exit event
  journey<MyEvents>("welcome").exitOn("refunded");
  journey("loose").on("any_event_name");
}

describe("typed inputs: run-time validation stays", () => {
  it("a typed instance accepts declared events and still parses every call", async () => {
    const nudge = await started(await createNudge<MyEvents>(options()));
    const ok = await nudge.track({ userId: "u1", event: "order_completed", properties: { orderId: "o1", amount: 12_000 } });
    expect(ok.accepted).toBe(true);
    // A caller without the compiler (plain JS, a cast) still meets zod, which names the field.
    const bad = nudge.track({ userId: "u1", event: "", properties: { orderId: "o1", amount: 1 } } as never);
    await expect(bad).rejects.toBeInstanceOf(ValidationError);
    await expect(bad).rejects.toMatchObject({ issues: [expect.objectContaining({ path: "event" })] });
  });

  it("bad calls are refused at run time with a ValidationError naming the field", async () => {
    const nudge = await started(await createNudge(options()));
    const cases: [Promise<unknown>, string][] = [
      // @ts-expect-error the event name must be a string
      [nudge.track({ userId: "u1", event: 42 }), "event"],
      // @ts-expect-error traits are a record
      [nudge.identify({ userId: "u1", traits: "vip" }), "traits"],
      // @ts-expect-error channelFriend is a boolean
      [nudge.identify({ userId: "u1", contacts: { kakao: { channelFriend: "no" } } }), "contacts.kakao.channelFriend"],
      // @ts-expect-error send needs its idempotency key
      [nudge.send({ userId: "u1", channel: "sandbox", content: { text: "hi" } }), "idempotencyKey"],
      // @ts-expect-error a segment condition needs its type
      [nudge.segments.put({ id: "vip", condition: { trait: "plan", op: "eq", value: "vip" } }), "condition.type"],
      // @ts-expect-error a template's content is a record
      [nudge.templates.put({ id: "t", channel: "sandbox", content: "hi" }), "content"],
      // @ts-expect-error a step type that does not exist
      [nudge.journeys.put({ id: "j", trigger: { type: "event", event: "x" }, steps: [{ id: "s", type: "teleport" }] }), "steps[0](s).type"],
    ];
    for (const [call, path] of cases) {
      const error = await call.then(() => null, (e: unknown) => e);
      expect(error, path).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((i) => i.path), path).toContain(path);
    }
  });
});
