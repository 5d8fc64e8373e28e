import { EngineTokens } from "../engine-tokens.js";
import { inject, injectable } from "tsyringe";
import { IANAZone } from "luxon";
import { z } from "zod";
import type { CountryCode } from "libphonenumber-js/max";
import { ValidationError, type FieldIssue } from "../../errors.js";
import type { ContactFacts, ContactPoints } from "../../domain/profile.js";
import type { NudgeOptionsResolved } from "../options.js";
import { PhoneNormalizer } from "./phone-normalizer.js";

/** The traits that double as contact points or settings when a host sends them with identify. */
export const CONTACT_TRAITS = ["email", "phone", "timezone", "locale"] as const;

const Email = z.email();

/** What a profile takes from a set of (normalized) traits or contact facts; null clears. */
export interface ContactUpdate {
  email?: string | null;
  phone?: string | null;
  timezone?: string | null;
  locale?: string | null;
  kakao?: { channelFriend?: boolean | null };
}

/**
 * Normalizes the contact traits of identify before anything is stored: e-mail trimmed, lower-cased and
 * checked; phone to E.164 (default region from the engine settings); IANA time zone in its canonical
 * spelling; BCP 47 locale. A bad value is a ValidationError naming the trait (`traits.phone`).
 */
@injectable()
export class ContactNormalizer {
  private readonly phones: PhoneNormalizer;

  constructor(@inject(EngineTokens.Options) options: NudgeOptionsResolved) {
    this.phones = new PhoneNormalizer(options.defaultPhoneRegion as CountryCode);
  }

  /**
   * Both trait sets of an identify call, and its contact facts, normalized; throws one ValidationError
   * listing every bad trait and fact.
   */
  identify(
    traits: Record<string, unknown>,
    traitsOnce: Record<string, unknown>,
    contacts: ContactFacts = {},
  ): { traits: Record<string, unknown>; traitsOnce: Record<string, unknown>; contacts: ContactFacts } {
    const issues: FieldIssue[] = [];
    const out = {
      traits: this.traits(traits, "traits", issues),
      traitsOnce: this.traits(traitsOnce, "traitsOnce", issues),
      contacts: this.facts(contacts, "contacts", issues),
    };
    if (issues.length > 0) throw new ValidationError("identify call", issues);
    return out;
  }

  /** Contact facts with their addresses normalized as the traits of the same name; problems go to `issues`. */
  facts(facts: ContactFacts, prefix: string, issues: FieldIssue[]): ContactFacts {
    const out: ContactFacts = { ...facts };
    for (const key of ["email", "phone"] as const) {
      const value = facts[key];
      if (value === null || value === undefined) continue;
      const result = this.one(key, value);
      if (typeof result === "string") out[key] = result;
      else issues.push({ path: `${prefix}.${key}`, message: result.error });
    }
    return out;
  }

  /** The record with its contact traits normalized; problems are added to `issues` under `prefix`. */
  traits(record: Record<string, unknown>, prefix: string, issues: FieldIssue[]): Record<string, unknown> {
    const out = { ...record };
    for (const key of CONTACT_TRAITS) {
      if (!(key in record) || record[key] === null || record[key] === undefined) continue;
      const result = this.one(key, record[key]);
      if (typeof result === "string") out[key] = result;
      else issues.push({ path: `${prefix}.${key}`, message: result.error });
    }
    return out;
  }

  /** The contact points and settings named by normalized traits (set-once traits first, then traits). */
  contacts(normalized: Record<string, unknown>): ContactUpdate {
    const update: ContactUpdate = {};
    for (const key of CONTACT_TRAITS) {
      if (!(key in normalized)) continue;
      const v = normalized[key];
      if (v === null) update[key] = null;
      else if (typeof v === "string") update[key] = v;
    }
    return update;
  }

  /** The update named by (normalized) contact facts: only the facts given, `null` clearing. */
  static fromFacts(facts: ContactFacts): ContactUpdate {
    const update: ContactUpdate = {};
    if (facts.email !== undefined) update.email = facts.email;
    if (facts.phone !== undefined) update.phone = facts.phone;
    if (facts.kakao?.channelFriend !== undefined) update.kakao = { channelFriend: facts.kakao.channelFriend };
    return update;
  }

  /** Applies a ContactUpdate to contact points (a changed address is no longer marked invalid). */
  static apply(contacts: ContactPoints, update: ContactUpdate): ContactPoints {
    const next: ContactPoints = { ...contacts };
    const friend = update.kakao?.channelFriend;
    if (friend === null) {
      const { channelFriend: _cleared, ...kakao } = next.kakao ?? {};
      if (Object.keys(kakao).length > 0) next.kakao = kakao;
      else delete next.kakao;
    } else if (friend !== undefined) {
      next.kakao = { ...next.kakao, channelFriend: friend };
    }
    for (const kind of ["email", "phone"] as const) {
      const v = update[kind];
      if (v === undefined || v === contacts[kind]) continue;
      if (v === null) delete next[kind];
      else next[kind] = v;
      if (next.invalid?.[kind]) {
        const { [kind]: _dropped, ...rest } = next.invalid;
        if (Object.keys(rest).length > 0) next.invalid = rest;
        else delete next.invalid;
      }
    }
    return next;
  }

  private one(key: (typeof CONTACT_TRAITS)[number], value: unknown): string | { error: string } {
    if (typeof value !== "string") return { error: "must be a string" };
    switch (key) {
      case "email": {
        const email = value.trim().toLowerCase();
        return Email.safeParse(email).success ? email : { error: "is not a valid e-mail address" };
      }
      case "phone": {
        const r = this.phones.normalize(value);
        return r.ok ? r.e164 : { error: r.reason };
      }
      case "timezone":
        // luxon validates the zone; Intl gives its canonical spelling ("asia/seoul" -> "Asia/Seoul").
        if (!IANAZone.isValidZone(value.trim())) return { error: "is not an IANA time zone such as Asia/Seoul" };
        return new Intl.DateTimeFormat("en-US", { timeZone: value.trim() }).resolvedOptions().timeZone;
      case "locale":
        try {
          // Java and Android write ko_KR; BCP 47 wants ko-KR.
          return Intl.getCanonicalLocales(value.trim().replace(/_/g, "-"))[0] ?? { error: "is not a locale" };
        } catch {
          return { error: "is not a BCP 47 locale such as ko-KR" };
        }
    }
  }
}
