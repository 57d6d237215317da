// Graph API client for Instagram messaging through Facebook Pages. Start at `createGraphClient`
// (client.ts); errors are `GraphError` (errors.ts) with reasons and texts in reasons.ts.
export { createGraphClient, DEFAULT_GRAPH_VERSION, DEFAULT_TIMEOUT_MS, type GraphClient, type GraphClientOptions } from './client.ts'
export { GraphError, isGraphError, type GraphErrorInit, type GraphErrorKind } from './errors.ts'
export { REASONS, reasonText, type GraphErrorReason, type ReasonText } from './reasons.ts'
export { classifyMetaError, type MetaErrorFacts } from './metaErrors.ts'
export { DEFAULT_RETRY_POLICY, retryDelay, type RetryPolicy } from './backoff.ts'
export { appsecretProof } from './proof.ts'
export { parseUsageHeaders, regainAccessMs, type BusinessUsage, type GraphUsage, type UsageCounts, type UsageReading } from './usage.ts'
export {
  createLoginState, desktopRedirectUri, DESKTOP_REDIRECT_PATH, isLoginRedirect, loginDialogUrl, LoginRedirectError, parseLoginRedirect,
  type LoginDialogOptions, type LoginRedirect, type LoginRedirectProblem, type ParseRedirectOptions,
} from './login.ts'
export type { AccessTokenGrant, Permission, TokenInfo } from './tokens.ts'
export type { AppWebhookSubscription, InstagramAccount, PageSummary, SubscribedApp } from './business.ts'
export type {
  AttachmentType, Conversation, ListOptions, MessageDetails, Participant, SendContent, SendRequest, SendResult, SendWindow, SenderAction, UserProfile,
} from './messaging.ts'
export type { Page } from './schemas.ts'
