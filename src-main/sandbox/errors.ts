// Graph API errors in Meta's exact shape:
// {"error":{"message","type","code","error_subcode","fbtrace_id"}} (error_subcode only when there is one, as on Meta).
import { fbtraceId } from './ids.ts'

export interface GraphErrorSpec {
  message: string
  code: number
  subcode?: number
  type?: string
  status?: number
  isTransient?: boolean
}

export class GraphError extends Error {
  readonly code: number
  readonly subcode: number | undefined
  readonly type: string
  readonly status: number
  readonly isTransient: boolean | undefined

  constructor(spec: GraphErrorSpec) {
    super(spec.message)
    this.code = spec.code
    this.subcode = spec.subcode
    this.type = spec.type ?? 'OAuthException'
    this.status = spec.status ?? 400
    this.isTransient = spec.isTransient
  }

  toBody(): { error: Record<string, unknown> } {
    const error: Record<string, unknown> = { message: this.message, type: this.type, code: this.code }
    if (this.subcode !== undefined) error.error_subcode = this.subcode
    if (this.isTransient !== undefined) error.is_transient = this.isTransient
    error.fbtrace_id = fbtraceId()
    return { error }
  }
}

const laTime = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/Los_Angeles', weekday: 'long', day: '2-digit', month: 'short', year: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZoneName: 'short',
})

/** Meta words token times in Pacific time: "Tuesday, 16-Jun-26 10:00:00 PDT". */
function metaDate(ms: number): string {
  const p = Object.fromEntries(laTime.formatToParts(new Date(ms)).map((part) => [part.type, part.value]))
  return `${p.weekday}, ${p.day}-${p.month}-${p.year} ${p.hour}:${p.minute}:${p.second} ${p.timeZoneName}`
}

export const graphErrors = {
  invalidParam: (message: string, subcode?: number) => new GraphError({ message: `(#100) ${message}`, code: 100, subcode }),
  unknownObject: (id: string) =>
    new GraphError({
      message: `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
      type: 'GraphMethodException', code: 100, subcode: 33,
    }),
  unsupportedPost: (id: string) =>
    new GraphError({
      message: `Unsupported post request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
      type: 'GraphMethodException', code: 100, subcode: 33,
    }),
  unknownPath: (components: string) => new GraphError({ message: `Unknown path components: ${components}`, code: 2500 }),
  nonexistingField: (field: string, nodeType: string) =>
    new GraphError({ message: `(#100) Tried accessing nonexisting field (${field}) on node type (${nodeType})`, code: 100 }),
  missingToken: () => new GraphError({ message: 'An access token is required to request this resource.', code: 104 }),
  activeTokenForMe: () =>
    new GraphError({ message: 'An active access token must be used to query information about the current user.', code: 2500 }),
  cannotParseToken: () => new GraphError({ message: 'Invalid OAuth access token - Cannot parse access token', code: 190 }),
  tokenExpired: (expiredAt: number, now: number) =>
    new GraphError({
      message: `Error validating access token: Session has expired on ${metaDate(expiredAt)}. The current time is ${metaDate(now)}.`,
      code: 190, subcode: 463,
    }),
  passwordChanged: () =>
    new GraphError({
      message: 'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.',
      code: 190, subcode: 460,
    }),
  notAuthorized: (userId: string, appId: string) =>
    new GraphError({ message: `Error validating access token: User ${userId} has not authorized application ${appId}.`, code: 190, subcode: 458 }),
  invalidProof: () =>
    new GraphError({ message: 'Invalid appsecret_proof provided in the API argument', type: 'GraphMethodException', code: 100 }),
  permission: (permission: string) =>
    new GraphError({ message: `(#200) Requires ${permission} permission to manage the object`, code: 200 }),
  noMessagingPermission: () => new GraphError({ message: '(#10) Application does not have permission for this action', code: 10 }),
  pageTokenRequired: () => new GraphError({ message: '(#210) A page access token is required to request this resource.', code: 210 }),
  outsideWindow: () => new GraphError({ message: '(#10) This message is sent outside of allowed window.', code: 10, subcode: 2018278 }),
  noMatchingUser: () => new GraphError({ message: '(#100) No matching user found', code: 100, subcode: 2018001 }),
  consentRequired: () => new GraphError({ message: '(#230) User consent is required to access user profile', code: 230 }),
  messageDeleted: () => new GraphError({ message: '(#100) This message has been deleted.', code: 100 }),
  appThrottled: () => new GraphError({ message: '(#4) Application request limit reached', code: 4, isTransient: true }),
  userThrottled: () => new GraphError({ message: '(#17) User request limit reached', code: 17, isTransient: true }),
  pageThrottled: () => new GraphError({ message: '(#32) Page request limit reached', code: 32, isTransient: true }),
  apiThrottled: () => new GraphError({ message: '(#613) Calls to this API have exceeded the rate limit.', code: 613, isTransient: true }),
  unknown: () => new GraphError({ message: 'An unknown error has occurred.', code: 1, status: 500, isTransient: false }),
}
