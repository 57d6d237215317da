// Meta's error codes → Parley's reasons (fact sheet §9). Order matters: subcodes first, then codes.
import type { GraphErrorReason } from './reasons.ts'

export interface MetaErrorFacts {
  code: number | undefined
  subcode: number | undefined
  isTransient?: boolean | undefined
  message?: string | undefined
}

const TOKEN_SUBCODES: Record<number, GraphErrorReason> = {
  458: 'token_invalid.app_not_installed',
  459: 'token_invalid.checkpoint',
  460: 'token_invalid.password_changed',
  463: 'token_invalid.expired',
  464: 'token_invalid.unconfirmed',
  467: 'token_invalid.invalid',
  492: 'token_invalid.lost_page_role',
}

const OUTSIDE_WINDOW = new Set([2018278, 2534022])
const UNAVAILABLE = 1545041

export function classifyMetaError({ code, subcode, isTransient, message = '' }: MetaErrorFacts): GraphErrorReason {
  // 102 is the older "session" code for the same thing as 190.
  if (code === 190 || code === 102) return (subcode !== undefined && TOKEN_SUBCODES[subcode]) || 'token_invalid.other'

  if (code === 10) {
    if (subcode !== undefined && OUTSIDE_WINDOW.has(subcode)) return 'outside_window.expired'
    if (subcode === 2018065) return 'outside_window.needs_permission'
    if (subcode === 2018108) return 'recipient_unavailable.not_receiving'
    return 'permission.missing'
  }
  if (code === 551 || subcode === UNAVAILABLE) return 'recipient_unavailable.unavailable'
  if (code === 230) return 'consent_required'
  if (code === 9010 || subcode === 2018001 || subcode === 2534014) return 'no_matching_user'
  if (code !== undefined && code >= 200 && code <= 299) {
    return subcode === 2018028 ? 'permission.app_not_live' : 'permission.missing'
  }
  if (code === 100) {
    if (subcode === 2018109) return 'invalid_parameter.attachment_too_large'
    if (subcode === 2018047) return 'invalid_parameter.attachment_upload_failed'
    if (subcode === 2018034) return 'invalid_parameter.empty_message'
    if (subcode === 33) return 'invalid_parameter.unknown_object'
    // Meta gives a wrong proof no subcode of its own; only its words tell it apart.
    if (/appsecret_proof/i.test(message)) return 'invalid_parameter.appsecret_proof'
    return 'invalid_parameter.generic'
  }

  if (code === 4) return subcode === 2018022 ? 'rate_limited.send' : 'rate_limited.app'
  if (code === 341) return 'rate_limited.app'
  if (code === 17) return 'rate_limited.user'
  if (code === 32) return 'rate_limited.page'
  if (code === 613) return 'rate_limited.api'
  if (code === 9) return 'rate_limited.actions'
  if (code !== undefined && code >= 80001 && code <= 80014) return 'rate_limited.business'

  if (code === 368) return 'policy_blocked'

  if (code === 1) return 'temporary.unknown'
  // Code 2 is both "service unavailable" and, on sends, "this person blocked you"; only the words differ.
  if (code === 2) return /\bblock/i.test(message) ? 'recipient_unavailable.blocked' : 'temporary.service'
  if (code === 1200) return 'temporary.send'
  if (isTransient === true) return 'temporary.transient'
  return 'unknown'
}
