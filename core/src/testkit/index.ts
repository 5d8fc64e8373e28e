export { describeStorageConformance, type StorageConformanceOptions, type StorageUnderTest } from "./storage-conformance.js";
export { aJourney, aMessage, anEnrollment, anEvent, aProfile } from "./fixtures.js";
export { serviceAvailable, requireServices } from "./services.js";
export { describeChannelConformance, sendContext, type ChannelHarness, type InjectedFailure } from "./channel-conformance.js";
export { FakeHttpServer, type FakeHttpAnswer, type FakeHttpHandler, type RecordedRequest } from "./fake-http-server.js";
export { startChannelPlugin, type StartChannelPluginOptions, type StartedChannelPlugin } from "./start-channel-plugin.js";
export { capturingLogger, describeQueueConformance, type QueueConformanceOptions, type QueueSetup } from "./queue-conformance.js";
export { describeProviderConformance, type ProviderHarness } from "./provider-conformance.js";
export { startProviderPlugin, type StartedProviderPlugin } from "./start-channel-plugin.js";
