// Injected faults for Graph, dialog and CDN requests (never /__sandbox/*): delay, drop the connection,
// answer an HTTP status, or answer a Meta error — optionally with a probability and a use count.
import { randomInt } from 'node:crypto'
import { z } from 'zod'
import { GraphError } from './errors.ts'

export const FaultRuleSchema = z.object({
  /** A glob on the version-less path ("/me/messages", "/*\/conversations", "/**") or a regex written /…/. */
  path: z.string().min(1),
  method: z.string().optional(),
  status: z.number().int().min(100).max(599).optional(),
  error: z.object({ code: z.number().int(), subcode: z.number().int().optional(), message: z.string().optional(), type: z.string().optional() }).optional(),
  delayMs: z.number().int().min(0).max(120_000).optional(),
  drop: z.boolean().optional(),
  rate: z.number().min(0).max(1).optional(),
  times: z.number().int().min(1).optional(),
})

export type FaultRule = z.infer<typeof FaultRuleSchema>

export interface ActiveFault extends FaultRule {
  id: number
  hits: number
}

export type FaultAction = { kind: 'drop' } | { kind: 'respond'; status: number; body: unknown } | { kind: 'pass' }

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

  add(rule: FaultRule): ActiveFault {
    const active: ActiveFault = { ...rule, id: this.nextId++, hits: 0 }
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
  match(method: string, path: string): { delayMs: number; action: FaultAction } | undefined {
    for (const entry of this.rules) {
      const { rule } = entry
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
