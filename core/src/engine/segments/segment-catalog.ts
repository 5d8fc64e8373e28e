import { EngineTokens } from "../engine-tokens.js";
import { inject, injectable } from "tsyringe";
import type { Clock } from "../../ports/clock.js";
import type { Logger } from "../../ports/logger.js";
import type { SegmentStore } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import type { NudgeOptionsResolved } from "../options.js";
import { SegmentIndex } from "./segment-index.js";

/**
 * The workspace's segment definitions, indexed, cached for `segmentCacheMs`: an event must not read
 * every definition. This process drops the cache when it changes a segment; other processes sharing
 * the database see the change when their cache expires.
 */
@injectable()
export class SegmentCatalog {
  private cached: { index: SegmentIndex; at: number } | null = null;
  private loading: { promise: Promise<SegmentIndex>; generation: number } | null = null;
  private generation = 0;

  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(EngineTokens.Options) private readonly options: NudgeOptionsResolved,
    @inject(Tokens.SegmentStore) private readonly store: SegmentStore,
    @inject(Tokens.Clock) private readonly clock: Clock,
    @inject(Tokens.Logger) private readonly logger: Logger,
  ) {}

  async index(): Promise<SegmentIndex> {
    const fresh = this.peek();
    if (fresh) return fresh;
    const now = this.clock.now();
    let loading = this.loading;
    if (!loading || loading.generation !== this.generation) {
      const mine = { promise: this.load(now), generation: this.generation };
      this.loading = loading = mine;
      mine.promise.finally(() => this.loading === mine && (this.loading = null)).catch(() => {});
    }
    return loading.promise;
  }

  /** The index `index()` would answer at once from its cache, or null when it would have to load. */
  peek(): SegmentIndex | null {
    const c = this.cached;
    return c && this.clock.now() - c.at < this.options.segmentCacheMs ? c.index : null;
  }

  invalidate(): void {
    this.generation++;
    this.cached = null;
  }

  private async load(now: number): Promise<SegmentIndex> {
    const generation = this.generation;
    const definitions = await this.store.list(this.ws);
    let index: SegmentIndex;
    try {
      index = new SegmentIndex(definitions);
    } catch (err) {
      // Saving refuses cycles; one can only come from definitions written around the service.
      this.logger.error({ err }, "segment definitions are inconsistent; segments are not evaluated");
      index = new SegmentIndex([]);
    }
    // A change made while loading wins: do not cache what was read before it.
    if (generation === this.generation) this.cached = { index, at: now };
    return index;
  }
}
