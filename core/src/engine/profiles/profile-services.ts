import type { Constructor } from "../../container/plugin-context.js";
import { ContactNormalizer } from "./contact-normalizer.js";
import { CustomerViewBuilder } from "./customer-view.js";
import { IdentityMerger } from "./identity-merger.js";
import { ProfileEraser } from "./profile-eraser.js";

/** The helpers ProfileService is built from (ProfileService itself is listed by the engine). */
export const PROFILE_SERVICES: Constructor<unknown>[] = [ContactNormalizer, IdentityMerger, ProfileEraser, CustomerViewBuilder];
