// Replies going out (A3, A4, A9, A10): reply windows, preflight, and the sender with its durable
// outbox and reconciliation. Start at `createReplySender` (replySender.ts).
export { replyWindow, replyWindowState, windowCountdown, STANDARD_WINDOW_MS, HUMAN_AGENT_WINDOW_MS, NEAR_DEADLINE_MS, type ReplyWindow, type WindowClosedCode } from './replyWindow.ts'
export { preflight, type PreflightCode, type PreflightInput, type PreflightProblem } from './preflight.ts'
export { ATTACHMENT_LIMITS, TEXT_LIMIT_BYTES, formatBytes, type OutboundAttachmentType } from './instagramLimits.ts'
export { createPacer, SEND_RATES, type Pacer, type SendBucket } from './pacer.ts'
export { classifySendFailure, problemOf, type FailedSend } from './sendOutcome.ts'
export { findSentReply, type ReconcileContext, type ReconcileGraph, type ReconcileVerdict } from './reconcile.ts'
export {
  createReplySender, ReplyRequest, type FlushSummary, type ReconcileResult, type ReplyGraph, type ReplySender, type ReplySenderDeps, type SendResult,
} from './replySender.ts'
