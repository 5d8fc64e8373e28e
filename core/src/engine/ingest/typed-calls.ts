import type { IdentifyInput, TrackInput } from "../../domain/event.js";

/**
 * Typed calls. A host declares its events once, each name with the type of its properties, and gives the
 * catalog to `createNudge<MyEvents>()`:
 *
 * ```ts
 * type MyEvents = { signed_up: { plan: string }; order_completed: { orderId: string; amount: number } };
 * const nudge = await createNudge<MyEvents>({ workspace: "acme", plugins });
 * await nudge.track({ userId: "u1", event: "signed_up", properties: { plan: "pro" } }); // checked
 * ```
 *
 * Without a catalog (`object`, the default) every name and any JSON properties are accepted. The catalog is
 * a compile-time view only: zod parses every call at run time whatever it says.
 */

/** The catalog an instance or a builder was made with: read from its type-only `"~events"` field. */
export type CatalogOf<T> = T extends { readonly "~events"?: infer E } ? E : object;

/** The event names of a catalog; any string without one. */
export type EventName<E> = object extends E ? string : keyof E & string;

/**
 * A `track` call for a catalog: one member per event name, so an unknown name or a property of the wrong
 * type is a type error; `properties` may be left out only when none of its fields is required. Without a
 * catalog it is the plain `TrackInput`.
 */
export type TrackCall<E = object> = object extends E
  ? TrackInput
  : {
      [K in keyof E & string]: Omit<TrackInput, "event" | "properties"> & { event: K } & (Partial<E[K]> extends E[K] ? { properties?: E[K] } : { properties: E[K] });
    }[keyof E & string];

/** An `identify` call: ids, traits, set-once traits and contact facts. */
export type IdentifyCall = IdentifyInput;

/** One item of `batch`: a track call (typed by the catalog) or an identify call, tagged with its type. */
export type BatchCall<E = object> = (TrackCall<E> & { type: "track" }) | (IdentifyCall & { type: "identify" });
