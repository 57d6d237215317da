// Pure building blocks: the duration parser, the ?fields= parser, the clock.
import { describe, expect, it } from 'vitest'
import { Clock, graphTime, parseDuration } from '../../../src-main/sandbox/clock.ts'
import { GraphError } from '../../../src-main/sandbox/errors.ts'
import { parseFields } from '../../../src-main/sandbox/fields.ts'
import { isRegisteredRedirect } from '../../../src-main/sandbox/routes/oauthDialog.ts'

describe('parseDuration', () => {
  it('reads s, m, h, d and combinations', () => {
    expect(parseDuration('25h')).toBe(25 * 3_600_000)
    expect(parseDuration('6d23h')).toBe((6 * 24 + 23) * 3_600_000)
    expect(parseDuration('23h59m')).toBe((23 * 60 + 59) * 60_000)
    expect(parseDuration('90s')).toBe(90_000)
    expect(parseDuration('-2h')).toBe(-7_200_000)
  })

  it('refuses what it cannot read', () => {
    expect(() => parseDuration('soon')).toThrow(/Invalid duration/)
    expect(() => parseDuration('5w')).toThrow(/Invalid duration/)
  })
})

describe('Clock', () => {
  it('moves forward only, and freezes for deterministic windows', () => {
    const clock = new Clock()
    clock.freeze()
    const start = clock.now()
    expect(clock.advance(parseDuration('1h'))).toBe(start + 3_600_000)
    expect(() => clock.advance(-1)).toThrow()
    clock.reset()
    expect(clock.frozen).toBe(false)
  })

  it('formats Graph datetimes with +0000', () => {
    expect(graphTime(Date.UTC(2022, 6, 12, 19, 11, 7, 456))).toBe('2022-07-12T19:11:07+0000')
  })
})

describe('parseFields', () => {
  it('parses nested expansion and modifiers', () => {
    expect(parseFields('id,name,instagram_business_account{id,username},messages.limit(5){message,from}')).toEqual([
      { name: 'id', args: {} },
      { name: 'name', args: {} },
      { name: 'instagram_business_account', args: {}, children: [{ name: 'id', args: {} }, { name: 'username', args: {} }] },
      { name: 'messages', args: { limit: '5' }, children: [{ name: 'message', args: {} }, { name: 'from', args: {} }] },
    ])
  })

  it('answers a syntax error the way Graph does', () => {
    expect(() => parseFields('id,name}')).toThrow(GraphError)
    expect(() => parseFields('a{b')).toThrow(/Syntax error/)
  })
})

describe('registered redirect URIs', () => {
  const registered = ['https://www.facebook.com/connect/login_success.html', 'http://127.0.0.1:*']
  it('accepts login_success.html and loopback on any port', () => {
    expect(isRegisteredRedirect(registered, 'https://www.facebook.com/connect/login_success.html')).toBe(true)
    expect(isRegisteredRedirect(registered, 'http://127.0.0.1:53123/callback')).toBe(true)
  })
  it('refuses anything else', () => {
    expect(isRegisteredRedirect(registered, 'https://evil.example/connect/login_success.html')).toBe(false)
    expect(isRegisteredRedirect(registered, 'http://localhost:53123/callback')).toBe(false)
    expect(isRegisteredRedirect(registered, 'http://127.0.0.1.evil.example:80/')).toBe(false)
    expect(isRegisteredRedirect(registered, 'not a url')).toBe(false)
  })
})
