// Receiving (A2, A5–A8, X3, X4): the webhook receiver and its HTTP server, the app's webhook
// subscription, one ingest path into the store, and the Conversations API poller.
// Start at `ingest.ts`; `normalizeWebhook.ts` / `normalizeGraph.ts` read Meta's shapes.
export type { IntegrationDirectory, IntegrationTarget } from './directory.ts'
export type { InboundEvent, InboxChange, MessageEvent, ReactionEvent, SeenEvent, WithdrawEvent } from './events.ts'
export { checkSignature, signBody, SIGNATURE_HEADER, type SignatureVerdict } from './signature.ts'
export {
  createWebhookReceiver, DEFAULT_MAX_BODY_BYTES,
  type HeaderSource, type QuerySource, type WebhookAnswer, type WebhookPayload, type WebhookReceiver, type WebhookReceiverOptions,
} from './webhookReceiver.ts'
export { DEFAULT_WEBHOOK_PATH, mountWebhookRoutes, startWebhookServer, type RunningWebhookServer, type WebhookServerOptions } from './webhookServer.ts'
export { INSTAGRAM_WEBHOOK_FIELDS, registerAppWebhook } from './registerAppWebhook.ts'
export { checkWebhookEnvelope, MAX_LISTED_REFUSALS, WebhookEntry, WebhookEnvelope, WebhookEvent, type CheckedPayload, type EnvelopeCheck, type Refusal } from './webhookEnvelope.ts'
export { normalizeWebhookPayload, type NormalizedPayload } from './normalizeWebhook.ts'
export { BASIC_POLL_MESSAGE_FIELDS, graphReactions, normalizeGraphMessage, POLL_MESSAGE_FIELDS } from './normalizeGraph.ts'
export { reactionOf } from './reactions.ts'
export { applyStorySwitches } from './storySwitches.ts'
export { createIngest, type EventSource, type Ingest, type IngestDeps, type IngestReport } from './ingest.ts'
export { createProfileRefresher, PROFILE_MAX_AGE_MS, type ProfileOutcome, type ProfileRefresher } from './profiles.ts'
export { CONVERSATIONS_API_RATE, createTokenBucketPacer, type Pacer, type PacerOptions } from './pacer.ts'
export { createPoller, DEFAULT_POLL_BACKOFF, type AccountPoll, type BackoffPolicy, type PollGraph, type Poller, type PollerDeps } from './poller.ts'
export { SETTLE_MS } from './syncCursors.ts'
