// Everything a route needs, passed in explicitly. `state` and `tokens` are replaced by POST /__sandbox/reset.
import type { Clock } from './clock.ts'
import type { Faults } from './faults.ts'
import type { MediaStore } from './media.ts'
import type { RateLimiter } from './rateLimits.ts'
import type { Sessions } from './sessions.ts'
import type { SandboxState } from './state.ts'
import type { TokenStore } from './tokens.ts'
import type { WebhookDispatcher } from './webhooks.ts'

export interface Deps {
  clock: Clock
  state: SandboxState
  tokens: TokenStore
  sessions: Sessions
  media: MediaStore
  limits: RateLimiter
  faults: Faults
  webhooks: WebhookDispatcher
  /** http://127.0.0.1:PORT, known once the server listens. */
  origin: string
}
