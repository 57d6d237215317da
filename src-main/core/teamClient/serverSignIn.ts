// P3 in the desktop app: signing in to a Parley server over HTTPS. The token comes back in the
// answer (the desktop is a bearer client, not a cookie one) and goes straight to the keychain.
import { ParleyError } from '../contract/errors.ts'

export interface ServerPerson {
  id: string
  name: string
  username: string
  role: 'agent' | 'supervisor'
}

export async function signInToServer(
  serverUrl: string,
  credentials: { username: string; password: string },
  fetchImpl: typeof fetch = fetch,
): Promise<{ token: string; person: ServerPerson }> {
  let response: Response
  try {
    response = await fetchImpl(`${serverUrl}/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...credentials, client: 'desktop' }),
      signal: AbortSignal.timeout(15_000),
    })
  } catch (error) {
    const reason = error instanceof Error && 'cause' in error && error.cause instanceof Error ? error.cause.message : (error as Error).message
    throw new ParleyError('server_unreachable', `The Parley server at ${serverUrl} could not be reached (${reason}). Check the address and your network.`)
  }
  const body = (await response.json().catch(() => null)) as { code?: string; message?: string; token?: string; person?: ServerPerson } | null
  if (response.ok && body?.token && body.person) return { token: body.token, person: body.person }
  if (body?.code && body.message) throw new ParleyError(body.code, body.message)
  throw new ParleyError('server_unreachable', `${serverUrl} did not answer as a Parley server does (HTTP ${response.status}). Check the address.`)
}

/** Tells the server the session is over; the keychain entry goes either way. */
export async function signOutOfServer(serverUrl: string, token: string, fetchImpl: typeof fetch = fetch): Promise<void> {
  await fetchImpl(`${serverUrl}/auth/sign-out`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) }).catch(() => undefined)
}
