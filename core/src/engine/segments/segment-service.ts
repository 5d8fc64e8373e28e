import { inject, injectable } from "tsyringe";
import { z } from "zod";
import { NotFoundError, ValidationError, type FieldIssue } from "../../errors.js";
import {
  SegmentDefinition,
  SegmentDraft,
  type SegmentCondition,
  type SegmentDefinitionInput,
  type SegmentDraftInput,
} from "../../domain/segment.js";
import type { Clock } from "../../ports/clock.js";
import type { Page, SegmentStore } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import { AudienceEstimator, type AudienceEstimate, type AudiencePreview } from "./audience-estimator.js";
import { SegmentBackfill } from "./segment-backfill.js";
import { SegmentCatalog } from "./segment-catalog.js";
import { depsOf } from "./condition-analysis.js";
import { SegmentIndex } from "./segment-index.js";
import { sameDefinition } from "../same-definition.js";

const PageOptions = z.object({ cursor: z.string().nullable().optional(), limit: z.number().int().min(1).max(1000).default(100) });
const EstimateOptions = z.object({ sample: z.number().int().min(1).max(1_000_000).default(10_000) });
const PreviewOptions = z.object({ limit: z.number().int().min(1).max(1000).default(20), maxScan: z.number().int().min(1).default(100_000) });

/**
 * Segments of the workspace: definitions (validated, checked for unknown references and cycles),
 * their members, and the audience of a definition not saved yet. Saving a segment evaluates it for
 * everyone in the background; from then on membership is kept incrementally (SegmentUpdater).
 */
@injectable()
export class SegmentService {
  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(Tokens.SegmentStore) private readonly store: SegmentStore,
    @inject(Tokens.Clock) private readonly clock: Clock,
    @inject(SegmentCatalog) private readonly catalog: SegmentCatalog,
    @inject(SegmentBackfill) private readonly backfill: SegmentBackfill,
    @inject(AudienceEstimator) private readonly audience: AudienceEstimator,
  ) {}

  /**
   * Creates or replaces a segment; a changed definition is evaluated for everyone in the background. A
   * definition equal to the stored one (keys in any order) writes nothing and evaluates nobody.
   */
  async put(input: SegmentDefinitionInput): Promise<SegmentDefinition> {
    const parsed = SegmentDefinition.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod("segment", parsed.error);
    const def = parsed.data;
    const others = (await this.store.list(this.ws)).filter((d) => d.id !== def.id);
    const issues = referenceIssues(def.condition, "condition", new Set(others.map((d) => d.id)), def.id);
    const cycle = issues.length === 0 ? SegmentIndex.findCycle([def, ...others]) : null;
    if (cycle) issues.push({ path: "condition", message: `segments would refer to each other in a cycle: ${cycle.join(" -> ")}` });
    if (issues.length > 0) throw new ValidationError("segment", issues);
    const before = await this.store.get(this.ws, def.id);
    if (before && sameDefinition(before, def)) return def;
    await this.store.put(this.ws, def, this.clock.now());
    this.catalog.invalidate();
    await this.backfill.start([def.id]);
    return def;
  }

  async get(id: string): Promise<SegmentDefinition | null> {
    return this.store.get(this.ws, id);
  }

  async list(): Promise<SegmentDefinition[]> {
    return this.store.list(this.ws);
  }

  /** Deletes a segment and its memberships (no exit is emitted). Refused while another segment refers to it. */
  async remove(id: string): Promise<boolean> {
    const all = await this.store.list(this.ws);
    if (!all.some((d) => d.id === id)) return false;
    const users = all.filter((d) => d.id !== id && depsOf(d.condition).segments.has(id));
    if (users.length > 0) {
      throw new ValidationError("segment removal", [{ path: "id", message: `segment "${id}" is used by ${users.map((d) => `"${d.id}"`).join(", ")}` }]);
    }
    await this.store.delete(this.ws, id);
    this.catalog.invalidate();
    return true;
  }

  /** A page of member profile ids. */
  async members(id: string, options: z.input<typeof PageOptions> = {}): Promise<Page<string>> {
    const o = parseOptions(PageOptions, options);
    await this.require(id);
    return this.store.members(this.ws, id, { cursor: o.cursor ?? null, limit: o.limit });
  }

  async count(id: string): Promise<number> {
    await this.require(id);
    return this.store.countMembers(this.ws, id);
  }

  /** Estimated audience of an unsaved definition (`{ condition }`), from a sample of profiles. */
  async estimate(draft: SegmentDraftInput, options: z.input<typeof EstimateOptions> = {}): Promise<AudienceEstimate> {
    return this.audience.estimate(await this.draft(draft), parseOptions(EstimateOptions, options).sample);
  }

  /** Some people an unsaved definition matches. */
  async preview(draft: SegmentDraftInput, options: z.input<typeof PreviewOptions> = {}): Promise<AudiencePreview> {
    const o = parseOptions(PreviewOptions, options);
    return this.audience.preview(await this.draft(draft), o.limit, o.maxScan);
  }

  /** Whether one person matches an unsaved definition now. */
  async matches(draft: SegmentDraftInput, profileId: string): Promise<boolean> {
    return this.audience.matches(await this.draft(draft), profileId);
  }

  /** Re-evaluates every segment (or the given ones) for everyone, now. */
  async rebuild(ids?: string[]): Promise<{ profiles: number; changes: number }> {
    const index = await this.catalog.index();
    return this.backfill.run(ids ?? index.ids);
  }

  private async draft(input: unknown): Promise<SegmentCondition> {
    const parsed = SegmentDraft.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod("segment draft", parsed.error);
    const known = new Set((await this.store.list(this.ws)).map((d) => d.id));
    const issues = referenceIssues(parsed.data.condition, "condition", known, null);
    if (issues.length > 0) throw new ValidationError("segment draft", issues);
    return parsed.data.condition;
  }

  private async require(id: string): Promise<void> {
    if (!(await this.store.get(this.ws, id))) throw new NotFoundError("segment", id);
  }
}

/** Every `segment` reference that is unknown or to itself, with its path. */
function referenceIssues(c: SegmentCondition, path: string, known: Set<string>, self: string | null): FieldIssue[] {
  switch (c.type) {
    case "segment":
      if (c.segment === self) return [{ path: `${path}.segment`, message: "a segment cannot contain itself" }];
      return known.has(c.segment) ? [] : [{ path: `${path}.segment`, message: `no segment "${c.segment}"` }];
    case "not":
      return referenceIssues(c.condition, `${path}.condition`, known, self);
    case "and":
    case "or":
      return c.conditions.flatMap((child, i) => referenceIssues(child, `${path}.conditions[${i}]`, known, self));
    default:
      return [];
  }
}

function parseOptions<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw ValidationError.fromZod("options", r.error);
  return r.data;
}
