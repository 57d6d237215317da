import { describe, expect, it } from 'vitest'
import { GraphError, type GraphErrorInit } from '../../../../src-main/core/graph/index.ts'
import { classifySendFailure } from '../../../../src-main/core/inbox/outbound/index.ts'

const error = (init: Partial<GraphErrorInit>) => new GraphError({ kind: 'unknown', reason: 'unknown', message: 'Something went wrong.', ...init })

describe('what a failed send means for the reply', () => {
  it('maybe delivered → ambiguous: timeouts, dropped connections, unreadable answers, bare 5xx, unknown errors', () => {
    expect(classifySendFailure(error({ kind: 'network', reason: 'network.timeout', ambiguous: true })).outcome).toBe('ambiguous')
    expect(classifySendFailure(error({ kind: 'network', reason: 'network.dropped', ambiguous: true })).outcome).toBe('ambiguous')
    expect(classifySendFailure(error({ kind: 'unexpected_response', reason: 'unexpected_response' })).outcome).toBe('ambiguous')
    expect(classifySendFailure(error({ kind: 'temporary', reason: 'temporary.server', httpStatus: 502 })).outcome).toBe('ambiguous')
    expect(classifySendFailure(new Error('boom'))).toMatchObject({ outcome: 'ambiguous', problem: { code: 'unknown' } })
  })

  it('certainly not delivered and nothing wrong with it → wait: offline, throttled (with Meta’s wait)', () => {
    expect(classifySendFailure(error({ kind: 'network', reason: 'network.offline', ambiguous: false }))).toMatchObject({ outcome: 'wait', retryAfterMs: null })
    expect(classifySendFailure(error({ kind: 'rate_limited', reason: 'rate_limited.api', retryAfterMs: 60_000 }))).toMatchObject({ outcome: 'wait', retryAfterMs: 60_000 })
  })

  it('refused by Meta → failed, with its reason and what to do in plain words', () => {
    const failed = classifySendFailure(error({ kind: 'outside_window', reason: 'outside_window.expired', message: 'Outside the window.', remedy: 'Wait for the customer.' }))
    expect(failed).toEqual({ outcome: 'failed', problem: { code: 'outside_window.expired', message: 'Outside the window. Wait for the customer.' } })
    expect(classifySendFailure(error({ kind: 'temporary', reason: 'temporary.send', code: 1200 })).outcome).toBe('failed')
    expect(classifySendFailure(error({ kind: 'token_invalid', reason: 'token_invalid.password_changed', code: 190 })).outcome).toBe('failed')
  })
})
