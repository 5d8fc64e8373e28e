import { ValidationError, type FieldIssue } from "../../errors.js";
import { newProfile, type Profile } from "../../domain/profile.js";
import type { NudgeOptionsResolved } from "../options.js";
import { ContactNormalizer } from "../profiles/contact-normalizer.js";
import type { SimulationInput } from "./simulation.js";

type PersonInput = ReturnType<typeof SimulationInput.parse>["profile"];

/**
 * The scripted person as the live instance would store them: e-mail, phone (E.164 from the workspace's
 * default region), time zone and locale normalized as `identify` does, so channels read the same address
 * they would in production; a bad value is refused naming its field (`profile.contacts.phone`).
 */
export function simulatedPerson(options: NudgeOptionsResolved, input: PersonInput, now: number): Profile {
  const normalizer = new ContactNormalizer(options);
  const issues: FieldIssue[] = [];
  const contacts = normalizer.traits({ email: input.contacts.email, phone: input.contacts.phone }, "profile.contacts", issues);
  const settings = normalizer.traits({ timezone: input.timezone, locale: input.locale }, "profile", issues);
  if (issues.length > 0) throw new ValidationError("simulation", issues);
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  const email = str(contacts["email"]);
  const phone = str(contacts["phone"]);
  return {
    ...newProfile(options.workspace, `simulated-${input.userId}`, now),
    userId: input.userId,
    traits: input.traits,
    contacts: { ...input.contacts, ...(email === undefined ? {} : { email }), ...(phone === undefined ? {} : { phone }) },
    timezone: str(settings["timezone"]) ?? null,
    locale: str(settings["locale"]) ?? null,
    subscriptions: input.subscriptions.map((s) => ({ ...s, at: now, source: "simulation" })),
    nightAdConsent: input.nightAdConsent === undefined ? null : { granted: input.nightAdConsent, at: now, source: "simulation" },
  };
}
