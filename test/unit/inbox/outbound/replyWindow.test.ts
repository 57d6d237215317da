import { describe, expect, it } from 'vitest'
import { replyWindow, replyWindowState, windowCountdown } from '../../../../src-main/core/inbox/outbound/index.ts'

const T0 = Date.UTC(2026, 10, 1, 12, 0, 0)
const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR

describe('reply windows (A3)', () => {
  it('is a standard response up to just before 24 h', () => {
    expect(replyWindow(T0, T0)).toEqual({ kind: 'standard', messagingType: 'RESPONSE', tag: null, endsAt: T0 + DAY })
    expect(replyWindow(T0, T0 + DAY - 1)).toMatchObject({ kind: 'standard', messagingType: 'RESPONSE' })
  })

  it('needs MESSAGE_TAG + HUMAN_AGENT from exactly 24 h to just before 7 days', () => {
    expect(replyWindow(T0, T0 + DAY)).toEqual({ kind: 'human_agent', messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', endsAt: T0 + 7 * DAY })
    expect(replyWindow(T0, T0 + 7 * DAY - 1)).toMatchObject({ kind: 'human_agent' })
  })

  it('is closed from exactly 7 days, and when the customer never wrote, each with its reason', () => {
    expect(replyWindow(T0, T0 + 7 * DAY)).toMatchObject({ kind: 'closed', reason: { code: 'window_closed' } })
    expect(replyWindow(T0, T0 + 30 * DAY)).toMatchObject({ kind: 'closed', reason: { code: 'window_closed', message: expect.stringMatching(/7 days/) } })
    expect(replyWindow(null, T0)).toMatchObject({ kind: 'closed', reason: { code: 'no_customer_message' } })
  })

  it('counts a customer message stamped ahead of this clock as just now', () => {
    expect(replyWindow(T0 + 5 * MIN, T0)).toMatchObject({ kind: 'standard', endsAt: T0 + 5 * MIN + DAY })
  })

  it('shows the time left in the current window and flags the last hour', () => {
    expect(windowCountdown(replyWindow(T0, T0 + 22 * HOUR), T0 + 22 * HOUR)).toEqual({ timeLeftMs: 2 * HOUR, nearDeadline: false })
    expect(windowCountdown(replyWindow(T0, T0 + 23 * HOUR), T0 + 23 * HOUR)).toEqual({ timeLeftMs: HOUR, nearDeadline: false })
    expect(windowCountdown(replyWindow(T0, T0 + 23 * HOUR + 1), T0 + 23 * HOUR + 1)).toEqual({ timeLeftMs: HOUR - 1, nearDeadline: true })
    // In the human-agent window the countdown runs to day 7.
    const at = T0 + 7 * DAY - 30 * MIN
    expect(windowCountdown(replyWindow(T0, at), at)).toEqual({ timeLeftMs: 30 * MIN, nearDeadline: true })
    expect(windowCountdown(replyWindow(T0, T0 + 8 * DAY), T0 + 8 * DAY)).toEqual({ timeLeftMs: 0, nearDeadline: false })
  })

  it('gives the inbox its view, the composer problem and the messaging type', () => {
    expect(replyWindowState(T0, T0 + 23 * HOUR + 30 * MIN)).toMatchObject({
      view: { kind: 'standard', endsAt: new Date(T0 + DAY).toISOString(), nearDeadline: true }, problem: null, messagingType: 'RESPONSE',
    })
    expect(replyWindowState(T0, T0 + 2 * DAY)).toMatchObject({ view: { kind: 'human_agent', nearDeadline: false }, problem: null, messagingType: 'MESSAGE_TAG' })
    expect(replyWindowState(T0, T0 + 7 * DAY)).toMatchObject({ view: { kind: 'closed', endsAt: null }, problem: { code: 'window_closed' }, messagingType: null })
    expect(replyWindowState(null, T0)).toMatchObject({ view: { kind: 'none', endsAt: null }, problem: { code: 'no_customer_message' }, messagingType: null })
  })
})
