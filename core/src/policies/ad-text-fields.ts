import { PluginConfigError, type FieldIssue } from "../errors.js";
import type { Channel } from "../ports/channel.js";
import type { AdChannelRules } from "./policies-config.js";
import { contentFields } from "./content-fields.js";

/** Where a channel's text lives when `field` is not configured: SMS `text`, Kakao Brand Message / Friendtalk `content`. */
export const DEFAULT_AD_TEXT_FIELDS = ["text", "content"] as const;

/**
 * The content field the Korean ad rules read on each listed channel, checked against the registered channels:
 * an unknown channel or a field its content does not have would suppress every advertisement on it, so it fails
 * the boot with PluginConfigError naming the channel and field instead.
 */
export function adTextFields(rules: Record<string, AdChannelRules>, channels: readonly Channel[]): Map<string, string> {
  const byId = new Map(channels.map((c) => [c.id, c]));
  const issues: FieldIssue[] = [];
  const out = new Map<string, string>();
  for (const [id, r] of Object.entries(rules)) {
    const path = `koreanAdRules.channels.${id}`;
    const channel = byId.get(id);
    if (!channel) {
      issues.push({ path, message: `no channel "${id}" is registered (registered: ${[...byId.keys()].join(", ") || "none"})` });
      continue;
    }
    const fields = contentFields(channel.contentSchema);
    if (fields === null) {
      out.set(id, r.field ?? "text");
      continue;
    }
    const list = [...fields].join(", ");
    if (r.field !== undefined) {
      if (fields.has(r.field)) out.set(id, r.field);
      else issues.push({ path: `${path}.field`, message: `"${r.field}" is not a field of the ${id} channel's content (its fields: ${list})` });
      continue;
    }
    const found = DEFAULT_AD_TEXT_FIELDS.find((f) => fields.has(f));
    if (found) out.set(id, found);
    else issues.push({ path: `${path}.field`, message: `the ${id} channel's content has neither "text" nor "content": name the field holding its text (its fields: ${list})` });
  }
  if (issues.length > 0) throw new PluginConfigError("policies", issues);
  return out;
}
