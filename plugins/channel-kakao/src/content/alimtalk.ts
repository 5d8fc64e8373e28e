import { z } from "zod";
import type { FieldIssue } from "@nudge/core";

/**
 * AlimTalk (알림톡): informational messages from templates Kakao approved beforehand (order confirmations,
 * shipping notices). Reaches any KakaoTalk user, friend or not, with no night-time restriction for genuinely
 * transactional content. Templates hold up to 1,000 characters and 40 variables (KOREA-CHANNELS.md).
 */
export const AlimTalk = z.object({
  kind: z.literal("alimtalk"),
  /** NHN: templateCode (≤ 20 characters); Solapi: templateId. */
  templateCode: z.string().min(1).max(20),
  /** Values for the template's #{variables}, keyed without the #{ }. */
  variables: z.record(z.string(), z.string().max(1300)).default({}),
});
export type AlimTalk = z.infer<typeof AlimTalk>;

/** A registered template as configured: its code and the variables its approved text contains. */
export interface AlimTalkTemplate {
  variables: string[];
}

/** Checks the values against the registered template: every variable given, no unknown ones. */
export function alimTalkIssues(content: AlimTalk, templates: Record<string, AlimTalkTemplate>): FieldIssue[] {
  const template = templates[content.templateCode];
  if (!template) {
    return [{ path: "templateCode", message: `template "${content.templateCode}" is not registered (configure alimtalk.templates with its variables)` }];
  }
  const issues: FieldIssue[] = [];
  for (const v of template.variables) {
    if (content.variables[v] === undefined) issues.push({ path: `variables.${v}`, message: `template "${content.templateCode}" needs #{${v}}` });
  }
  for (const v of Object.keys(content.variables)) {
    if (!template.variables.includes(v)) issues.push({ path: `variables.${v}`, message: `template "${content.templateCode}" has no #{${v}}` });
  }
  return issues;
}
