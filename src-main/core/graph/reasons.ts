// Plain-language English text per reason key. The UI translates by key (German), so keys are stable;
// the English here is what logs, the browser host and English users see.
import type { GraphErrorKind } from './errors.ts'

export interface ReasonText {
  kind: GraphErrorKind
  message: string
  remedy?: string
}

const RECREATE = 'Delete and recreate the integration (Recreate) to log in again.'
const WINDOW = "Instagram allows replies only within 7 days of the customer's last message."
const WAIT = 'Parley tries again on its own where that is safe; otherwise try again in a few minutes.'

export const REASONS = {
  'token_invalid.app_not_installed': {
    kind: 'token_invalid',
    message: 'The Facebook account that connected this integration no longer allows Parley’s Meta app.',
    remedy: RECREATE,
  },
  'token_invalid.checkpoint': {
    kind: 'token_invalid',
    message: 'Facebook has locked the account that connected this integration until that person logs in at facebook.com.',
    remedy: 'Log in at www.facebook.com and follow the steps shown there, then delete and recreate the integration (Recreate).',
  },
  'token_invalid.password_changed': {
    kind: 'token_invalid',
    message: 'The Facebook login of this integration ended because the password was changed or Facebook reset the session.',
    remedy: RECREATE,
  },
  'token_invalid.expired': {
    kind: 'token_invalid',
    message: 'The Facebook login of this integration has expired.',
    remedy: RECREATE,
  },
  'token_invalid.unconfirmed': {
    kind: 'token_invalid',
    message: 'The Facebook account that connected this integration has not been confirmed yet.',
    remedy: 'Confirm the account at www.facebook.com, then delete and recreate the integration (Recreate).',
  },
  'token_invalid.invalid': {
    kind: 'token_invalid',
    message: 'Facebook does not accept the access token of this integration.',
    remedy: RECREATE,
  },
  'token_invalid.lost_page_role': {
    kind: 'token_invalid',
    message: 'The person who connected this integration no longer has a role on the Facebook Page.',
    remedy: 'Ask a Page admin to give that person a role again, or recreate the integration (Recreate) as someone who manages the Page.',
  },
  'token_invalid.other': {
    kind: 'token_invalid',
    message: 'Facebook no longer accepts the login of this integration.',
    remedy: RECREATE,
  },
  'permission.missing': {
    kind: 'permission',
    message: 'Meta refused the request because a permission is missing.',
    remedy: 'Recreate the integration (Recreate) and allow every permission Facebook asks for.',
  },
  'permission.app_not_live': {
    kind: 'permission',
    message: 'Meta lets this app message only people who have a role on the app until the app is reviewed and live.',
    remedy: 'Publish the Meta app with Advanced Access, or add the person as a tester of the app.',
  },
  'outside_window.expired': {
    kind: 'outside_window',
    message: 'Instagram refused the reply because the conversation is outside the allowed reply window.',
    remedy: WINDOW,
  },
  'outside_window.needs_permission': {
    kind: 'outside_window',
    message: 'Instagram refused the message because it is outside the reply window and would need a permission Parley does not use.',
    remedy: WINDOW,
  },
  'recipient_unavailable.unavailable': {
    kind: 'recipient_unavailable',
    message: 'This person isn’t available right now: they may have blocked the account or deactivated their profile.',
  },
  'recipient_unavailable.not_receiving': {
    kind: 'recipient_unavailable',
    message: 'This person isn’t receiving messages from this account right now.',
  },
  'recipient_unavailable.blocked': {
    kind: 'recipient_unavailable',
    message: 'This person has blocked the account, so Instagram does not deliver messages to them.',
  },
  consent_required: {
    kind: 'consent_required',
    message: 'Instagram shares this customer’s profile only after they have messaged the business.',
  },
  no_matching_user: {
    kind: 'no_matching_user',
    message: 'Instagram knows no user with this id for this account.',
    remedy: 'The customer may have deleted their account, or the conversation belongs to another Instagram account.',
  },
  'invalid_parameter.generic': {
    kind: 'invalid_parameter',
    message: 'Meta refused the request because a value in it is not valid.',
  },
  'invalid_parameter.attachment_too_large': {
    kind: 'invalid_parameter',
    message: 'The attachment is larger than Instagram allows.',
    remedy: 'Images may be up to 8 MB; audio, video and files up to 25 MB.',
  },
  'invalid_parameter.attachment_upload_failed': {
    kind: 'invalid_parameter',
    message: 'Instagram could not load the attachment: its file type does not match its content.',
    remedy: 'Send the file again in a supported format (JPG or PNG images, MP4 video).',
  },
  'invalid_parameter.empty_message': {
    kind: 'invalid_parameter',
    message: 'The message is empty.',
  },
  'invalid_parameter.unknown_object': {
    kind: 'invalid_parameter',
    message: 'Meta cannot find this item, or the integration may not see it.',
  },
  'invalid_parameter.appsecret_proof': {
    kind: 'invalid_parameter',
    message: 'Meta rejected Parley’s request signature: the App Secret stored in Parley does not belong to this Meta app.',
    remedy: 'Enter the App ID and App Secret of the Meta app again.',
  },
  'rate_limited.app': { kind: 'rate_limited', message: 'Meta is limiting how often Parley’s Meta app may call it.', remedy: WAIT },
  'rate_limited.user': { kind: 'rate_limited', message: 'Meta is limiting how often this Facebook account may be used.', remedy: WAIT },
  'rate_limited.page': { kind: 'rate_limited', message: 'Meta is limiting how often this Page may be used.', remedy: WAIT },
  'rate_limited.api': { kind: 'rate_limited', message: 'Meta is limiting how often this kind of request may be made.', remedy: WAIT },
  'rate_limited.business': {
    kind: 'rate_limited',
    message: 'Meta is limiting how often this Page or Instagram account may be used.',
    remedy: WAIT,
  },
  'rate_limited.send': {
    kind: 'rate_limited',
    message: 'Instagram is limiting how many messages may be sent right now.',
    remedy: 'The reply stays in the outbox; send it again in a few minutes.',
  },
  'rate_limited.actions': {
    kind: 'rate_limited',
    message: 'Instagram says this account is performing too many actions right now.',
    remedy: 'Wait a few minutes before sending again.',
  },
  'temporary.unknown': { kind: 'temporary', message: 'Meta reported a temporary problem.', remedy: WAIT },
  'temporary.service': {
    kind: 'temporary',
    message: 'Meta’s service is temporarily unavailable.',
    remedy: `${WAIT} If sending to one customer keeps failing, they may have blocked the account.`,
  },
  'temporary.send': { kind: 'temporary', message: 'Instagram could not send the message this time.', remedy: 'Send it again.' },
  'temporary.server': { kind: 'temporary', message: 'Meta’s servers answered with an error.', remedy: WAIT },
  'temporary.transient': { kind: 'temporary', message: 'Meta reported a temporary problem.', remedy: WAIT },
  policy_blocked: {
    kind: 'policy_blocked',
    message: 'Meta has temporarily blocked this account from this action for going against its policies.',
    remedy: 'Check the account’s status in Meta Business Suite; such blocks usually lift after a while.',
  },
  'network.offline': {
    kind: 'network',
    message: 'Parley could not reach Meta.',
    remedy: 'Check the network connection; Parley keeps replies in the outbox until it is back.',
  },
  'network.dropped': {
    kind: 'network',
    message: 'The connection to Meta broke before Meta answered.',
    remedy: 'Check the network connection and try again.',
  },
  'network.interrupted': {
    kind: 'network',
    message: 'The connection to Meta broke while its answer was arriving.',
    remedy: 'Check the network connection and try again.',
  },
  'network.timeout': {
    kind: 'network',
    message: 'Meta did not answer in time.',
    remedy: 'Check the network connection and try again.',
  },
  unexpected_response: {
    kind: 'unexpected_response',
    message: 'Meta answered in a way Parley does not understand.',
    remedy: 'Try again later; if it persists, export a diagnostic bundle for support.',
  },
  'not_configured.app_secret': {
    kind: 'not_configured',
    message: 'Parley has no App Secret for the Meta app.',
    remedy: 'Enter the App ID and App Secret of the Meta app.',
  },
  unknown: {
    kind: 'unknown',
    message: 'Meta reported an error Parley does not recognise.',
    remedy: 'Try again; if it persists, export a diagnostic bundle for support.',
  },
} as const satisfies Record<string, ReasonText>

export type GraphErrorReason = keyof typeof REASONS

export function reasonText(reason: GraphErrorReason): ReasonText {
  return REASONS[reason]
}
