import type { Profile } from "../../domain/profile.js";

/** What templates see as `profile`. */
export function profileScope(p: Profile): Record<string, unknown> {
  return {
    id: p.id,
    userId: p.userId,
    traits: p.traits,
    email: p.contacts.email ?? null,
    phone: p.contacts.phone ?? null,
    timezone: p.timezone,
    locale: p.locale,
  };
}
