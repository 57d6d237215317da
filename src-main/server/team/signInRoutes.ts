// P3 over HTTP: the sign-in form posts here (it has no session yet, so it cannot use the socket).
// A browser gets its session as a cookie; the desktop app gets the token in the answer and keeps it
// in its keychain. Requests from pages of other sites are refused (Origin), as on the socket.
import type { Context, Hono } from 'hono'
import { z } from 'zod'
import { SignInInput } from '../../core/contract/people.ts'
import { ParleyError } from '../../core/contract/errors.ts'
import type { SignInService } from '../../core/people/signInService.ts'
import { personView } from '../../core/people/peopleService.ts'
import { clearedSessionCookie, credentialOf, sessionCookie } from './sessionCookie.ts'

export interface SignInRouteDeps {
  signIn: SignInService
  /** Whether the browser would send the cookie only over TLS (the server or its proxy speaks https). */
  secure: (c: Context) => boolean
  /** Pages allowed to post here: the server's own origin. */
  sameOrigin: (c: Context) => boolean
  address: (c: Context) => string | null
}

const SignInRequest = SignInInput.extend({ client: z.enum(['browser', 'desktop']).default('browser') }).strict()

const problem = (c: Context, status: 400 | 401 | 403 | 429, code: string, message: string) =>
  c.json({ code, message }, status, { 'cache-control': 'no-store' })

export function mountSignIn(app: Hono, deps: SignInRouteDeps): void {
  app.post('/auth/sign-in', async (c) => {
    const body = SignInRequest.safeParse(await c.req.json().catch(() => null))
    if (!body.success) return problem(c, 400, 'invalid_input', 'Enter your username and password.')
    const { client, ...credentials } = body.data
    if (client === 'browser' && !deps.sameOrigin(c)) return problem(c, 403, 'forbidden', 'Sign in from Parley’s own page.')
    try {
      const { token, person } = await deps.signIn.signIn({ ...credentials, address: deps.address(c), client })
      const view = { person: personView(person) }
      if (client === 'desktop') return c.json({ ...view, token }, 200, { 'cache-control': 'no-store' })
      return c.json(view, 200, { 'cache-control': 'no-store', 'set-cookie': sessionCookie(token, deps.secure(c)) })
    } catch (error) {
      if (error instanceof ParleyError && error.code === 'sign_in_failed') return problem(c, 401, error.code, error.message)
      if (error instanceof ParleyError && error.code === 'sign_in_locked') return problem(c, 429, error.code, error.message)
      throw error
    }
  })

  app.get('/auth/session', async (c) => {
    const credential = credentialOf({ authorization: c.req.header('authorization'), cookie: c.req.header('cookie') })
    const context = credential ? await deps.signIn.authenticate(credential.token, credential.client) : null
    if (!context) return problem(c, 401, 'not_signed_in', 'Sign in to Parley.')
    const { actor } = context
    return c.json({ person: { id: actor.personId, name: actor.name, username: actor.username, role: actor.role } }, 200, { 'cache-control': 'no-store' })
  })

  app.post('/auth/sign-out', async (c) => {
    const credential = credentialOf({ authorization: c.req.header('authorization'), cookie: c.req.header('cookie') })
    if (credential?.client === 'browser' && !deps.sameOrigin(c)) return problem(c, 403, 'forbidden', 'Sign out from Parley’s own page.')
    const context = credential ? await deps.signIn.authenticate(credential.token, credential.client) : null
    if (context?.sessionId) await deps.signIn.signOut(context.sessionId)
    return c.json({ ok: true }, 200, { 'cache-control': 'no-store', 'set-cookie': clearedSessionCookie(deps.secure(c)) })
  })
}
