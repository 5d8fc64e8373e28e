import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** Twilio's X-Twilio-Signature, from its documentation rather than the plugin's code: base64 HMAC-SHA1 of the
 * URL followed by every parameter name and value sorted by name (https://www.twilio.com/docs/usage/webhooks/webhooks-security). */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = url + Object.keys(params).sort().map((k) => k + params[k]).join("");
  return createHmac("sha1", authToken).update(data).digest("base64");
}

export interface TwilioCall { path: string; auth: string; form: Record<string, string> }

/** A stand-in for Twilio's Messages API: answers 201 with a message sid and records each call. */
export async function fakeTwilio(): Promise<{ server: Server; url: string; calls: TwilioCall[] }> {
  const calls: TwilioCall[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      calls.push({ path: req.url ?? "", auth: req.headers.authorization ?? "", form: Object.fromEntries(new URLSearchParams(body)) });
      res.writeHead(201, { "content-type": "application/json" });
      res.end(JSON.stringify({ sid: `SM${calls.length.toString(16).padStart(32, "0")}`, status: "queued", num_segments: "1" }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls };
}
