import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { GraphError, REASONS } from '../../../src-main/core/graph/index.ts'
import { metaError, PAGE_TOKEN, startFakeMeta, testClient, type FakeMeta } from './fakeMeta.ts'

let meta: FakeMeta
beforeEach(async () => (meta = await startFakeMeta()))
afterEach(() => meta.close())

interface Row {
  code: number
  subcode?: number
  isTransient?: boolean
  type?: string
  message: string
  kind: string
  reason: string
}

// Meta's codes and words (fact sheet §9, Chatwoot's payloads); one row per mapping.
const ROWS: Row[] = [
  { code: 190, subcode: 458, message: 'Error validating access token: User 10160000000000001 has not authorized application 1234567890123456.', kind: 'token_invalid', reason: 'token_invalid.app_not_installed' },
  { code: 190, subcode: 459, message: 'Error validating access token: You cannot access the app till you log in to www.facebook.com and follow the instructions given.', kind: 'token_invalid', reason: 'token_invalid.checkpoint' },
  { code: 190, subcode: 460, message: 'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.', kind: 'token_invalid', reason: 'token_invalid.password_changed' },
  { code: 190, subcode: 463, message: 'Error validating access token: Session has expired on Tuesday, 16-Jun-26 10:00:00 PDT. The current time is Wednesday, 17-Jun-26 01:00:00 PDT.', kind: 'token_invalid', reason: 'token_invalid.expired' },
  { code: 190, subcode: 464, message: 'Error validating access token: Sessions for the user are not allowed because the user is not a confirmed user.', kind: 'token_invalid', reason: 'token_invalid.unconfirmed' },
  { code: 190, subcode: 467, message: 'Error validating access token: The access token is invalid.', kind: 'token_invalid', reason: 'token_invalid.invalid' },
  { code: 190, subcode: 492, message: 'Error validating access token: The user is not a confirmed user of the page.', kind: 'token_invalid', reason: 'token_invalid.lost_page_role' },
  { code: 190, message: 'Invalid OAuth access token - Cannot parse access token', kind: 'token_invalid', reason: 'token_invalid.other' },
  { code: 10, message: '(#10) Application does not have permission for this action', kind: 'permission', reason: 'permission.missing' },
  { code: 200, message: '(#200) Requires pages_manage_metadata permission to manage the object', kind: 'permission', reason: 'permission.missing' },
  { code: 299, message: '(#299) Requires manage_pages permission', kind: 'permission', reason: 'permission.missing' },
  { code: 200, subcode: 2018028, message: '(#200) Cannot message users who are not admins, developers or testers of the app until pages_messaging permission is reviewed and the app is live.', kind: 'permission', reason: 'permission.app_not_live' },
  { code: 10, subcode: 2018278, message: '(#10) This message is sent outside of allowed window.', kind: 'outside_window', reason: 'outside_window.expired' },
  { code: 10, subcode: 2534022, message: '(#10) This message is sent outside of allowed window.', kind: 'outside_window', reason: 'outside_window.expired' },
  { code: 10, subcode: 2018065, message: '(#10) This message is sent outside of allowed window. You need page_messaging_subscriptions permission to be able to do it.', kind: 'outside_window', reason: 'outside_window.needs_permission' },
  { code: 551, subcode: 1545041, message: "(#551) This person isn't available right now.", kind: 'recipient_unavailable', reason: 'recipient_unavailable.unavailable' },
  { code: 200, subcode: 1545041, message: "(#200) This person isn't available right now.", kind: 'recipient_unavailable', reason: 'recipient_unavailable.unavailable' },
  { code: 10, subcode: 2018108, message: "(#10) This person isn't receiving messages from you right now.", kind: 'recipient_unavailable', reason: 'recipient_unavailable.not_receiving' },
  { code: 2, message: '(#2) The user has blocked messages from this account.', kind: 'recipient_unavailable', reason: 'recipient_unavailable.blocked' },
  { code: 230, message: '(#230) User consent is required to access user profile', kind: 'consent_required', reason: 'consent_required' },
  { code: 100, subcode: 2018001, message: '(#100) No matching user found', kind: 'no_matching_user', reason: 'no_matching_user' },
  { code: 9010, message: 'No matching Instagram user', kind: 'no_matching_user', reason: 'no_matching_user' },
  { code: 100, message: '(#100) Param recipient[id] must be a valid ID string (e.g., "123")', kind: 'invalid_parameter', reason: 'invalid_parameter.generic' },
  { code: 100, subcode: 2018109, message: '(#100) Attachment size exceeds allowable limit', kind: 'invalid_parameter', reason: 'invalid_parameter.attachment_too_large' },
  { code: 100, subcode: 2018047, message: '(#100) Upload attachment failure.', kind: 'invalid_parameter', reason: 'invalid_parameter.attachment_upload_failed' },
  { code: 100, subcode: 2018034, message: '(#100) Message cannot be empty, must provide valid attachment or text', kind: 'invalid_parameter', reason: 'invalid_parameter.empty_message' },
  { code: 100, subcode: 33, type: 'GraphMethodException', message: "Unsupported get request. Object with ID '1' does not exist, cannot be loaded due to missing permissions, or does not support this operation.", kind: 'invalid_parameter', reason: 'invalid_parameter.unknown_object' },
  { code: 100, type: 'GraphMethodException', message: 'Invalid appsecret_proof provided in the API argument', kind: 'invalid_parameter', reason: 'invalid_parameter.appsecret_proof' },
  { code: 4, isTransient: true, message: '(#4) Application request limit reached', kind: 'rate_limited', reason: 'rate_limited.app' },
  { code: 4, subcode: 2018022, message: '(#4) Too many send requests to this user', kind: 'rate_limited', reason: 'rate_limited.send' },
  { code: 17, isTransient: true, message: '(#17) User request limit reached', kind: 'rate_limited', reason: 'rate_limited.user' },
  { code: 32, isTransient: true, message: '(#32) Page request limit reached', kind: 'rate_limited', reason: 'rate_limited.page' },
  { code: 613, isTransient: true, message: '(#613) Calls to this API have exceeded the rate limit.', kind: 'rate_limited', reason: 'rate_limited.api' },
  { code: 80001, message: '(#80001) There have been too many calls to this Page account. Wait a bit and try again.', kind: 'rate_limited', reason: 'rate_limited.business' },
  { code: 80002, message: '(#80002) There have been too many calls to this Instagram account. Wait a bit and try again.', kind: 'rate_limited', reason: 'rate_limited.business' },
  { code: 80006, message: '(#80006) There have been too many messenger api calls to this Page account. Wait a bit and try again.', kind: 'rate_limited', reason: 'rate_limited.business' },
  { code: 80014, message: '(#80014) There have been too many calls for this ad account.', kind: 'rate_limited', reason: 'rate_limited.business' },
  { code: 9, subcode: 2018352, message: '(#9) This user is performing too many actions.', kind: 'rate_limited', reason: 'rate_limited.actions' },
  { code: 1, message: 'An unknown error has occurred.', kind: 'temporary', reason: 'temporary.unknown' },
  { code: 2, isTransient: true, message: 'An unexpected error has occurred. Please retry your request later.', kind: 'temporary', reason: 'temporary.service' },
  { code: 1200, message: 'Temporary send message failure. Please try again later', kind: 'temporary', reason: 'temporary.send' },
  { code: 12345, isTransient: true, message: 'Something odd, but transient.', kind: 'temporary', reason: 'temporary.transient' },
  { code: 368, message: '(#368) The action attempted has been deemed abusive or is otherwise disallowed', kind: 'policy_blocked', reason: 'policy_blocked' },
  { code: 12345, isTransient: false, message: 'Something Parley has never seen.', kind: 'unknown', reason: 'unknown' },
]

async function sendFailing(row: Row): Promise<GraphError> {
  meta.on('POST /me/messages', metaError(row.code, row.message, { subcode: row.subcode, isTransient: row.isTransient, type: row.type }))
  const { client } = testClient(meta)
  const error = await client.send(PAGE_TOKEN, { recipientId: '1', text: 'x', messagingType: 'RESPONSE' }).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(GraphError)
  return error as GraphError
}

describe('Meta errors → GraphError', () => {
  it.each(ROWS.map((row) => [`${row.code}${row.subcode ? `/${row.subcode}` : ''} ${row.reason}`, row] as const))('%s', async (_, row) => {
    const error = await sendFailing(row)
    expect(error).toMatchObject({
      kind: row.kind, reason: row.reason, code: row.code, subcode: row.subcode, fbtraceId: 'AbC123traceXYZ', metaMessage: row.message,
      metaType: row.type ?? 'OAuthException', httpStatus: 400, endpoint: 'POST /me/messages', ambiguous: false,
    })
    // People read the plain message; Meta's own stays apart.
    expect(error.message).toBe(REASONS[row.reason as keyof typeof REASONS].message)
    expect(error.message).not.toContain('#')
    expect(error.retryable).toBe(row.kind === 'temporary' || row.kind === 'rate_limited')
  })

  it('tells a supervisor what to do after a password change', async () => {
    const error = await sendFailing(ROWS.find((row) => row.subcode === 460)!)
    expect(error.message).toBe('The Facebook login of this integration ended because the password was changed or Facebook reset the session.')
    expect(error.remedy).toBe('Delete and recreate the integration (Recreate) to log in again.')
  })

  it('tells an agent why a reply outside the window was refused', async () => {
    const error = await sendFailing(ROWS.find((row) => row.subcode === 2018278)!)
    expect(error.remedy).toBe("Instagram allows replies only within 7 days of the customer's last message.")
  })

  it('keeps Meta’s texts meant for end users apart', async () => {
    meta.on('GET /me', {
      status: 400,
      json: { error: { message: 'Error validating access token', type: 'OAuthException', code: 190, error_subcode: 463, error_user_title: 'Sitzung abgelaufen', error_user_msg: 'Bitte erneut anmelden.', fbtrace_id: 'Ax' } },
    })
    const error = await testClient(meta).client.me(PAGE_TOKEN).catch((e: unknown) => e)
    expect(error).toMatchObject({ metaUserTitle: 'Sitzung abgelaufen', metaUserMessage: 'Bitte erneut anmelden.', reason: 'token_invalid.expired' })
  })

  it('reads a Meta error even on HTTP 200 and with the code as a string', async () => {
    meta.on('GET /me', { status: 200, json: { error: { message: '(#230) User consent is required to access user profile', code: '230' } } })
    await expect(testClient(meta).client.me(PAGE_TOKEN)).rejects.toMatchObject({ kind: 'consent_required', code: 230, httpStatus: 200 })
  })

  it('gives every reason a message and every kind a reason', () => {
    for (const text of Object.values(REASONS)) expect(text.message.length).toBeGreaterThan(10)
    const kinds = new Set(Object.values(REASONS).map((text) => text.kind))
    expect([...kinds].sort()).toEqual([
      'consent_required', 'invalid_parameter', 'network', 'no_matching_user', 'not_configured', 'outside_window', 'permission', 'policy_blocked',
      'rate_limited', 'recipient_unavailable', 'temporary', 'token_invalid', 'unexpected_response', 'unknown',
    ])
  })
})
