import { inject, injectable } from "tsyringe";
import type { Message } from "../../domain/message.js";
import type { MessageQuery, MessageStore, Page } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import { ProfileService } from "../profiles/profile-service.js";

/** `nudge.messages`: the message log, read. */
@injectable()
export class MessageReader {
  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(Tokens.MessageStore) private readonly store: MessageStore,
    @inject(ProfileService) private readonly profiles: ProfileService,
  ) {}

  get(id: string): Promise<Message | null> {
    return this.store.get(this.ws, id);
  }

  /** Newest first. `userId` is looked up; an unknown one gives an empty page. */
  async list(query: MessageQuery & { userId?: string | undefined }): Promise<Page<Message>> {
    const { userId, ...filters } = query;
    if (userId === undefined) return this.store.list(this.ws, filters);
    const profile = await this.profiles.find({ userId });
    if (!profile) return { items: [], nextCursor: null };
    return this.store.list(this.ws, { ...filters, profileId: profile.id });
  }
}
