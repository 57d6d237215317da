// Live mode with a public webhook address: register the callback with Meta, backfill through the
// Conversations API once at start and again whenever Meta answers after an outage — and poll every
// 30 s only while the webhook is not registered or Meta cannot be reached.
import type { Logger } from '../../app/logger.ts'
import type { Problem } from '../../contract/integrations.ts'
import { isGraphError, type GraphClient } from '../../graph/index.ts'
import type { AccountPoll } from '../inbound/index.ts'
import { registrationProblem } from './problems.ts'

export interface LiveWebhookDeps {
  graph: Pick<GraphClient, 'onReachabilityChange'>
  /** Subscribes the app to the callback (Meta calls it with hub.challenge before answering). */
  register: () => Promise<void>
  pollOnce: () => Promise<AccountPoll[]>
  where: { callbackUrl: string; host: string; port: number }
  intervalMs: number
  log: Logger
  onState: (state: { receiving: 'webhook' | 'polling'; problem: Problem | null }) => void
}

export interface LiveWebhook {
  /** Registers and starts the first backfill; resolves once Meta answered the registration. */
  start(): Promise<void>
  stop(): Promise<void>
}

const offline = (results: AccountPoll[]) => results.some((r) => r.problem?.startsWith('network.'))

export function createLiveWebhook(deps: LiveWebhookDeps): LiveWebhook {
  const { log } = deps
  let registered = false
  /** A refusal stays until the supervisor saves again; a connection failure is retried. */
  let retryRegistration = true
  let stopped = false
  let timer: NodeJS.Timeout | null = null
  let running: Promise<void> | null = null
  let unsubscribe: () => void = () => {}

  async function register(): Promise<void> {
    try {
      await deps.register()
      registered = true
      deps.onState({ receiving: 'webhook', problem: null })
      log.info('the webhook is registered with Meta', { callbackUrl: deps.where.callbackUrl })
    } catch (error) {
      const problem = registrationProblem(error, deps.where)
      retryRegistration = problem.code === 'webhook.unreachable'
      deps.onState({ receiving: 'polling', problem })
      log.warn('Meta did not register the webhook; polling meanwhile', { reason: isGraphError(error) ? error.reason : (error as Error)?.name })
    }
  }

  async function pass(tryRegistration: boolean): Promise<void> {
    if (tryRegistration && !registered && retryRegistration) await register()
    if (stopped) return
    const results = await deps.pollOnce().catch((error: unknown) => {
      log.error('a backfill pass failed', { error: (error as Error)?.message ?? String(error) })
      return []
    })
    // Registered and Meta reachable: the webhook brings the rest. Otherwise look again soon.
    if (!registered || offline(results)) schedule()
  }

  /** Asked for while a pass runs: that pass may have started before the news, so one more follows. */
  let again = false
  function run(tryRegistration = true): Promise<void> {
    if (running) {
      again = true
      return running
    }
    running = pass(tryRegistration).finally(() => {
      running = null
      if (again && !stopped) {
        again = false
        void run()
      }
    })
    return running
  }

  function schedule(): void {
    if (stopped || timer) return
    timer = setTimeout(() => {
      timer = null
      void run()
    }, deps.intervalMs)
  }

  return {
    async start() {
      let outage = false
      unsubscribe = deps.graph.onReachabilityChange((reachable) => {
        if (!reachable) {
          outage = true
          return schedule()
        }
        if (!outage) return
        outage = false
        // Meta answers again: backfill what the outage may have cost now, not at the next tick.
        if (timer) clearTimeout(timer)
        timer = null
        void run()
      })
      await register()
      void run(false)
    },
    async stop() {
      stopped = true
      unsubscribe()
      if (timer) clearTimeout(timer)
      timer = null
      await running?.catch(() => undefined)
    },
  }
}
