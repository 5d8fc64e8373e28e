export { chatWebhook } from "./chat-webhook.channel.js";
