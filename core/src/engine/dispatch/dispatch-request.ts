import type { ChannelContent } from "../../domain/journey.js";
import type { Profile } from "../../domain/profile.js";
import type { TemplateScope } from "../../template/renderer.js";

/** What to send: the primary channel's content and the fallback chain. */
export interface SendSpec {
  channel: string;
  content?: Record<string, unknown> | undefined;
  template?: string | undefined;
  fallback?: ChannelContent[];
  /**
   * Declared by the send; undefined when it does not say. Content a channel classifies as advertising makes the
   * message marketing when undefined, and is refused when false (see Dispatcher).
   */
  marketing?: boolean | undefined;
  topic?: string | undefined;
}

export interface DispatchRequest {
  profile: Profile;
  /** One logical message per key, whatever retries or crashes happen. */
  idempotencyKey: string;
  spec: SendSpec;
  scope: TemplateScope;
  journey?: { journeyId: string; version: number; stepId: string; enrollmentId: string };
}
