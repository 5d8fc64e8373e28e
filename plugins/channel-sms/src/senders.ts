import { ValidationError } from "@nudge/core";
import { parsePhone, type PhoneNumber } from "./phone.js";

/**
 * 발신번호 사전등록: Korean carriers only accept sender numbers registered (with proof of ownership)
 * at the provider beforehand. The host lists them in config; a message naming any other number is
 * refused before a provider sees it, and the provider's own "unregistered sender" answer is permanent.
 */
export class SenderNumberRegistry {
  private readonly numbers: PhoneNumber[];

  constructor(senders: readonly string[]) {
    this.numbers = senders.map((s, i) => {
      const p = parsePhone(s);
      if (!p) throw new ValidationError("sms config", [{ path: `senders[${i}]`, message: `"${s}" is not a phone number` }]);
      return p;
    });
  }

  /** The sender for a message: `from` when given (and registered), else the first registered number. */
  pick(from?: string): PhoneNumber {
    if (from === undefined) {
      const first = this.numbers[0];
      if (!first) throw new ValidationError("sms content", [{ path: "from", message: "no sender number is configured" }]);
      return first;
    }
    const p = parsePhone(from);
    const found = p && this.numbers.find((n) => n.e164 === p.e164);
    if (!found) {
      throw new ValidationError("sms content", [
        { path: "from", message: `sender number ${from} is not registered (발신번호 사전등록); registered: ${this.list().join(", ")}` },
      ]);
    }
    return found;
  }

  list(): string[] {
    return this.numbers.map((n) => n.e164);
  }
}
