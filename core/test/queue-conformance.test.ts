import { InProcessQueue } from "@nudge/core";
import { describeQueueConformance } from "@nudge/core/testkit";

// The default queue, as createNudge builds it but with a small concurrency, so the kit fills it quickly.
describeQueueConformance("in-process", ({ logger, maxWaiting }) => new InProcessQueue(logger, { concurrency: 8, maxWaiting }));
