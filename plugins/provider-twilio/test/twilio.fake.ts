import { FakeHttpServer, type FakeHttpAnswer, type RecordedRequest } from "@nudge/core/testkit";

export const TWILIO = {
  accountSid: "AC0123456789abcdef0123456789abcdef",
  authToken: "twilio-token-1",
  from: "+15005550006",
  callback: "https://hooks.example.com/nudge/v1/webhooks/sms/twilio",
};

export type TwilioFailure = "permanent" | "transient" | "rate_limited" | "unreachable";

/**
 * Twilio Messages API fake: HTTP Basic auth with the Account SID and Auth Token, the Account SID in the
 * path, form-encoded `To`, `From` or `MessagingServiceSid`, `Body`, `StatusCallback`; answers 201 with a Message resource, or
 * Twilio's documented error body `{ code, message, more_info, status }`.
 */
export function twilioFake() {
  let next: TwilioFailure | null = null;
  let seq = 0;
  const fake = new FakeHttpServer((req: RecordedRequest, fail): FakeHttpAnswer => {
    const expected = `Basic ${Buffer.from(`${TWILIO.accountSid}:${TWILIO.authToken}`).toString("base64")}`;
    if (req.headers["authorization"] !== expected) return { status: 401, body: { code: 20003, message: "Authenticate", more_info: "https://www.twilio.com/docs/errors/20003", status: 401 } };
    if (req.method !== "POST" || req.path !== `/2010-04-01/Accounts/${TWILIO.accountSid}/Messages.json`) return fail(`unexpected ${req.method} ${req.path}`);
    if (req.headers["content-type"] !== "application/x-www-form-urlencoded") return fail("body must be form-encoded");
    const form = new URLSearchParams(req.raw);
    if (!/^\+[1-9]\d+$/.test(form.get("To") ?? "")) return fail(`To must be E.164, was ${form.get("To")}`);
    // One of From (a number of the account) or MessagingServiceSid, never both; Body is required.
    const service = form.get("MessagingServiceSid");
    if ((form.get("From") === TWILIO.from) === (service !== null && /^MG[0-9a-fA-F]{32}$/.test(service))) return fail("exactly one of From or MessagingServiceSid required");
    if (!form.get("Body")) return fail("Body required");
    const kind = next;
    next = null;
    if (kind === "permanent") return { status: 400, body: { code: 21408, message: "Permission to send an SMS has not been enabled for the region indicated by the 'To' number", more_info: "https://www.twilio.com/docs/errors/21408", status: 400 } };
    if (kind === "unreachable") return { status: 400, body: { code: 21211, message: "The 'To' number is not a valid phone number.", more_info: "https://www.twilio.com/docs/errors/21211", status: 400 } };
    if (kind === "rate_limited") return { status: 429, body: { code: 20429, message: "Too Many Requests", more_info: "https://www.twilio.com/docs/errors/20429", status: 429 } };
    if (kind === "transient") return { status: 503, body: { code: 20500, message: "Internal Server Error", status: 503 } };
    seq++;
    return { status: 201, body: { sid: `SM${String(seq).padStart(32, "0")}`, status: "queued", num_segments: "1", to: form.get("To"), from: form.get("From"), body: form.get("Body"), price: null } };
  });
  return {
    fake,
    failNext: (k: TwilioFailure) => {
      next = k;
    },
    accepted: () => fake.requests.length - fake.problems.length,
  };
}
