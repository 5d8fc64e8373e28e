import type { EnrollmentStore } from "../../ports/stores.js";
import { inject, injectable } from "tsyringe";
import { NotFoundError, ValidationError, type FieldIssue } from "../../errors.js";
import {
  parseJourney,
  type JourneyDefinition,
  type JourneyDefinitionInput,
  type JourneyHead,
  type JourneyStatus,
  type JourneyVersion,
} from "../../domain/journey.js";
import type { Clock } from "../../ports/clock.js";
import type { JourneyStore } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import type { TemplateRenderer } from "../../template/renderer.js";
import type { ChannelRegistry } from "../channel-registry.js";
import { ChannelRegistryToken, EngineTokens } from "../engine-tokens.js";
import { sameDefinition } from "../same-definition.js";

/** A published journey with the definition of its live version. */
export interface LiveJourney {
  head: JourneyHead;
  version: JourneyVersion;
}

interface Snapshot {
  at: number;
  heads: Map<string, JourneyHead>;
  live: LiveJourney[];
  /** Event names any stored version reacts to once a person is in it (exit-on, goals, awaited events). */
  watched: Set<string>;
}

/** Other processes publish too: the view of heads is re-read after this long (wall time, not the Clock). */
const CACHE_MS = 2000;

/** Journey definitions, versions and status: draft -> published -> paused -> archived. */
@injectable()
export class JourneyService {
  private snapshot: Snapshot | null = null;
  /** Versions are immutable once written, so they are cached for the life of the instance. */
  private readonly versions = new Map<string, JourneyVersion>();

  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(Tokens.JourneyStore) private readonly store: JourneyStore,
    @inject(Tokens.Clock) private readonly clock: Clock,
    @inject(EngineTokens.TemplateRenderer) private readonly templates: TemplateRenderer,
    @inject(ChannelRegistryToken) private readonly channels: ChannelRegistry,
    @inject(Tokens.EnrollmentStore) private readonly enrollments: EnrollmentStore,
  ) {}

  /** How many people a journey has enrolled, by state. */
  countEnrollments(journeyId: string): ReturnType<EnrollmentStore["countByJourney"]> {
    return this.enrollments.countByJourney(this.ws, journeyId);
  }

  /**
   * Validates a definition: its schema and graph, its templates, its channels. Issues name the step and
   * field. Takes any value: it is also what checks a definition read from JSON.
   */
  validate(input: unknown): JourneyDefinition {
    const def = parseJourney(input);
    const issues: FieldIssue[] = [];
    def.steps.forEach((step, i) => {
      const where = `steps[${i}](${step.id})`;
      const check = (value: unknown, field: string) => {
        if (value !== undefined) issues.push(...this.templates.check(value, `${where}.${field}`));
      };
      if (step.type === "send") {
        const targets = [{ channel: step.channel, content: step.content, at: where }, ...step.fallback.map((f, j) => ({ ...f, at: `${where}.fallback[${j}]` }))];
        for (const t of targets) {
          if (!this.channels.has(t.channel)) {
            issues.push({ path: `${t.at}.channel`, message: `unknown channel "${t.channel}" (registered: ${this.channels.ids().join(", ") || "none"})` });
          }
          if (t.content !== undefined) issues.push(...this.templates.check(t.content, `${t.at}.content`));
        }
        issues.push(...this.channels.fallbackIssues(targets.map((t) => t.channel), (j) => `${targets[j]!.at}.channel`));
      } else if (step.type === "webhook") {
        check(step.body, "body");
        check(step.headers, "headers");
      } else if (step.type === "update-profile") {
        check(step.set, "set");
      } else if (step.type === "emit-event") {
        check(step.properties, "properties");
      }
    });
    if (issues.length > 0) throw new ValidationError("journey", issues);
    return def;
  }

  /**
   * Stores a new draft version, unless the definition equals the latest version's: then that version is
   * returned and nothing is written, so journeys defined at every boot stay at their version.
   */
  async put(input: JourneyDefinitionInput): Promise<JourneyVersion> {
    const def = this.validate(input);
    const head = await this.store.getHead(this.ws, def.id);
    const latest = head ? await this.versionRecord(def.id, head.latestVersion) : null;
    if (latest && sameDefinition(latest.definition, def)) return latest;
    const version = await this.store.putVersion(this.ws, def, this.clock.now());
    this.invalidate();
    return version;
  }

  async get(journeyId: string, version?: number): Promise<JourneyVersion | null> {
    const head = await this.store.getHead(this.ws, journeyId);
    if (!head) return null;
    return this.store.getVersion(this.ws, journeyId, version ?? head.latestVersion);
  }

  async head(journeyId: string): Promise<JourneyHead | null> {
    return this.store.getHead(this.ws, journeyId);
  }

  /**
   * Makes the latest version live. Running enrollments stay on the version they started on. Publishing
   * the version already live changes nothing and writes nothing.
   */
  async publish(journeyId: string): Promise<JourneyHead> {
    return this.setStatus(journeyId, "published", true);
  }

  /** No new entries; people already in it are held before their next step until it is resumed. */
  async pause(journeyId: string): Promise<JourneyHead> {
    return this.setStatus(journeyId, "paused", false);
  }

  async resume(journeyId: string): Promise<JourneyHead> {
    return this.setStatus(journeyId, "published", false);
  }

  /** No new entries; people still in it leave at their next step. */
  async archive(journeyId: string): Promise<JourneyHead> {
    return this.setStatus(journeyId, "archived", false);
  }

  async remove(journeyId: string): Promise<void> {
    await this.store.delete(this.ws, journeyId);
    for (const key of this.versions.keys()) if (key.startsWith(`${journeyId}@`)) this.versions.delete(key);
    this.invalidate();
  }

  private async setStatus(journeyId: string, status: JourneyStatus, pinLatest: boolean): Promise<JourneyHead> {
    const head = await this.store.getHead(this.ws, journeyId);
    if (!head) throw new NotFoundError("journey", journeyId);
    const next: JourneyHead = {
      ...head,
      status,
      publishedVersion: pinLatest ? head.latestVersion : head.publishedVersion ?? head.latestVersion,
      updatedAt: this.clock.now(),
    };
    // Nothing to change (publishing the live version again, pausing a paused journey): nothing is written.
    if (next.status === head.status && next.publishedVersion === head.publishedVersion) return head;
    await this.store.saveHead(next);
    this.invalidate();
    return next;
  }

  /** Published journeys with their live definitions. */
  async published(): Promise<LiveJourney[]> {
    return (await this.current()).live;
  }

  /** A journey's status as last read; null when it was deleted. */
  async status(journeyId: string): Promise<JourneyStatus | null> {
    return (await this.current()).heads.get(journeyId)?.status ?? null;
  }

  /** Whether an event may concern people already in a journey; when not, their enrollments are not read. */
  async watches(eventName: string): Promise<boolean> {
    return (await this.current()).watched.has(eventName);
  }

  /** One version's definition, cached; null when it does not exist (the journey was deleted). */
  async version(journeyId: string, version: number): Promise<JourneyDefinition | null> {
    return (await this.versionRecord(journeyId, version))?.definition ?? null;
  }

  private async versionRecord(journeyId: string, version: number): Promise<JourneyVersion | null> {
    const key = `${journeyId}@${version}`;
    const cached = this.versions.get(key);
    if (cached) return cached;
    const stored = await this.store.getVersion(this.ws, journeyId, version);
    if (stored) this.versions.set(key, stored);
    return stored;
  }

  invalidate(): void {
    this.snapshot = null;
  }

  private async current(): Promise<Snapshot> {
    const now = Date.now();
    if (this.snapshot && now - this.snapshot.at < CACHE_MS) return this.snapshot;
    const heads = await this.store.listHeads(this.ws);
    const live: LiveJourney[] = [];
    const watched = new Set<string>();
    for (const head of heads) {
      for (let v = 1; v <= head.latestVersion; v++) {
        const record = await this.versionRecord(head.journeyId, v);
        if (!record) continue;
        const def = record.definition;
        for (const x of def.exitOn) watched.add(x.event);
        if (def.goal) watched.add(def.goal.event);
        for (const s of def.steps) if (s.type === "wait-for-event") for (const a of s.events) watched.add(a.event);
        if (head.status === "published" && v === head.publishedVersion) {
          live.push({ head, version: record });
        }
      }
    }
    this.snapshot = { at: now, heads: new Map(heads.map((h) => [h.journeyId, h])), live, watched };
    return this.snapshot;
  }
}
