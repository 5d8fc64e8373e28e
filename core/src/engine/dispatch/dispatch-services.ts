import type { Constructor } from "../../container/plugin-context.js";
import { ChainRenderer } from "./chain-renderer.js";
import { ChannelSender } from "./channel-sender.js";
import { MessageRecovery } from "./message-recovery.js";
import { SendOutcomes } from "./send-outcomes.js";
import { SendPreparer } from "./send-preparer.js";
import { CostReport } from "./cost-report.js";
import { DirectSender } from "./direct-send.js";
import { MessageIds } from "./message-ids.js";
import { MessageLog } from "./message-log.js";
import { PolicyRunner } from "./policy-runner.js";
import { ProviderLimiter } from "./provider-limiter.js";
import { SendTimeRecheck } from "./send-time-recheck.js";
import { Verdicts } from "./verdicts.js";

/** The dispatch stage's services, built once per instance (the Dispatcher itself is listed by the engine). */
export const DISPATCH_SERVICES: Constructor<unknown>[] = [MessageIds, MessageLog, PolicyRunner, ProviderLimiter, SendTimeRecheck, Verdicts, SendOutcomes, SendPreparer, ChannelSender, ChainRenderer, MessageRecovery, CostReport, DirectSender];
