// Who is asking: every command runs as a person. On a single workstation that is the local user
// (config.json says whether they are a supervisor or an agent); on the team server it is whoever
// signed in on that connection. Handlers decide with it; the window only mirrors their decisions.

import type { Role } from './people.ts'

export type { Role }

export interface Actor {
  /** `local` on a single workstation; a person's id on the team server. */
  personId: string
  name: string
  /** Null for the local user of a workstation, who never signs in. */
  username: string | null
  role: Role
  permissions: readonly string[]
}

export interface CallContext {
  actor: Actor
  /** Which kind of window asks: the desktop app (IPC, or relayed by its main process) or a browser. */
  client: 'desktop' | 'browser'
  /** The hash of the sign-in session the call arrived on (team server), for Sign out. */
  sessionId?: string
}
