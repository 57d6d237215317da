// Injected faults for Graph, dialog and CDN requests (never /__sandbox/*): delay, drop the connection,
// handle the request but lose its answer, answer an HTTP status, or answer a Meta error — optionally
// with a probability and a use count. Rules aimed at "webhooks" disturb deliveries to the app instead.
import { randomInt } from 'node:crypto'
import { z } from 'zod'
import { GraphError } from './errors.ts'

export const FaultRuleSchema = z.object({
  /** requests: calls the sandbox receives (default) · webhooks: deliveries it makes to the app's callback. */
  target: z.enum(['requests', 'webhooks']).default('requests'),
  /** A glob on the version-less path ("/me/messages", "/*\/conversations", "/**") or a regex written /…/; for webhooks, the callback URL's path. */
  path: z.string().min(1),
  method: z.string().optional(),
  status: z.number().int().min(100).max(599).optional(),
  error: z.object({ code: z.number().int(), subcode: z.number().int().optional(), message: z.string().optional(), type: z.string().optional() }).optional(),
  delayMs: z.number().int().min(0).max(120_000).optional(),
  drop: z.boolean().optional(),
  /** Handle the request (or deliver the webhook) but lose the answer: the effect happened, the caller cannot know. */
  dropAnswer: z.boolean().optional(),
  rate: z.number().min(0).max(1).optional(),
  times: z.number().int().min(1).optional(),
}).refine((rule) => rule.target === 'requests' || (rule.status === undefined && rule.error === undefined), {
  message: 'webhook faults can only delay, drop or lose the answer (drop, dropAnswer, delayMs): the app, not the sandbox, answers a delivery',
  path: ['target'],
})

export type FaultRule = z.infer<typeof FaultRuleSchema>
export type FaultTarget = FaultRule['target']

export interface ActiveFault extends FaultRule {
  id: number
  hits: number
}

export type FaultAction = { kind: 'drop' } | { kind: 'dropAnswer' } | { kind: 'respond'; status: number; body: unknown } | { kind: 'pass' }

function toRegExp(pattern: string): RegExp {
  if (pattern.length > 2 && pattern.startsWith('/') && pattern.endsWith('/')) return new RegExp(pattern.slice(1, -1))
  const escaped = pattern
    .split('**')
    .map((part) => part.split('*').map((text) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*'))
    .join('.*')
  return new RegExp(`^${escaped}$`)
}

export class Faults {
  private rules: { rule: ActiveFault; regex: RegExp }[] = []
  private nextId = 1

  add(rule: z.input<typeof FaultRuleSchema>): ActiveFault {
    const active: ActiveFault = { ...rule, target: rule.target ?? 'requests', id: this.nextId++, hits: 0 }
    this.rules.push({ rule: active, regex: toRegExp(rule.path) })
    return active
  }

  list(): ActiveFault[] {
    return this.rules.map((entry) => entry.rule)
  }

  clear(): void {
    this.rules = []
  }

  /** The first matching rule that fires (rate, times) decides; the delay is awaited by the caller. */
  match(method: string, path: string, target: FaultTarget = 'requests'): { delayMs: number; action: FaultAction } | undefined {
    for (const entry of this.rules) {
      const { rule } = entry
      if (rule.target !== target) continue
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue
      if (!entry.regex.test(path)) continue
      if (rule.rate !== undefined && randomInt(0, 1_000_000) >= rule.rate * 1_000_000) continue
      rule.hits++
      if (rule.times !== undefined && rule.hits >= rule.times) this.rules = this.rules.filter((other) => other !== entry)
      return { delayMs: rule.delayMs ?? 0, action: actionOf(rule) }
    }
    return undefined
  }
}

function actionOf(rule: FaultRule): FaultAction {
  if (rule.drop) return { kind: 'drop' }
  if (rule.dropAnswer) return { kind: 'dropAnswer' }
  if (rule.error) {
    const isServerSide = rule.error.code === 1 || rule.error.code === 2
    const error = new GraphError({
      message: rule.error.message ?? (isServerSide ? 'An unexpected error has occurred. Please retry your request later.' : `(#${rule.error.code}) Injected error`),
      code: rule.error.code, subcode: rule.error.subcode, type: rule.error.type,
      status: rule.status ?? (isServerSide ? 500 : 400),
      isTransient: isServerSide ? true : undefined,
    })
    return { kind: 'respond', status: error.status, body: error.toBody() }
  }
  if (rule.status !== undefined) {
    const status = rule.status
    const error = status >= 500
      ? new GraphError({ message: 'An unexpected error has occurred. Please retry your request later.', code: 2, status, isTransient: true })
      : new GraphError({ message: 'An unknown error has occurred.', code: 1, status })
    return { kind: 'respond', status, body: error.toBody() }
  }
  return { kind: 'pass' }
}
