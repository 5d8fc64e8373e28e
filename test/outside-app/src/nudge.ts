import { createLogger, createNudge, sandboxChannel, type JourneyDefinitionInput, type Nudge } from "@nudge/core";
import { sms } from "@nudge/channel-sms";
import { twilioSms } from "@nudge/provider-twilio";
import { storageSqlite } from "@nudge/storage-sqlite";

export interface NudgeSettings {
  /** Where the app is reached from outside: tracked links and Twilio's status callbacks point there. */
  publicUrl: string;
  /** Signs click and unsubscribe links; keep it stable so links survive restarts. */
  linkSecret: string;
  /** The SQLite file (its folder is created). */
  databasePath: string;
  /** Twilio credentials; without them, text messages go to the sandbox. */
  twilio?: { accountSid: string; authToken: string; from: string; baseUrl?: string } | undefined;
}

/** On `signed_up`: a welcome on the sandbox channel, then a text message. */
export const welcome: JourneyDefinitionInput = {
  id: "welcome",
  trigger: { type: "event", event: "signed_up" },
  steps: [
    { id: "hello", type: "send", channel: "sandbox", content: { text: "Welcome, {{ profile.traits.name | default: 'friend' }}!" }, next: "text" },
    { id: "text", type: "send", channel: "sms", content: { text: "Hi {{ profile.traits.name | default: 'there' }}, thanks for signing up." } },
  ],
};

export async function startNudge(settings: NudgeSettings): Promise<Nudge> {
  const { twilio } = settings;
  const nudge = await createNudge({
    workspace: "acme",
    plugins: [
      storageSqlite({ path: settings.databasePath }),
      sandboxChannel(),
      // Korean numbers go to the sandbox here (add a Korean provider for them); other numbers through Twilio.
      sms({ senders: ["+8215880000"], international: [twilio ? "twilio" : "sandbox"] }),
      ...(twilio ? [twilioSms({ ...twilio, statusCallbackUrl: `${settings.publicUrl}/nudge/v1/webhooks/sms/twilio` })] : []),
    ],
    logger: createLogger({ level: process.env["NUDGE_LOG_LEVEL"] ?? "info" }),
    links: { baseUrl: `${settings.publicUrl}/nudge`, secret: settings.linkSecret },
  });
  await nudge.start();
  await nudge.journeys.put(welcome);
  await nudge.journeys.publish(welcome.id);
  return nudge;
}
