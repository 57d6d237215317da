// The sandbox's own clock: real time plus an offset that the control API can move forward.
// Windows (24 h / 7 d), token expiry and story CDN expiry all read this clock, never Date.now().

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** Parses "25h", "6d23h", "90s", "1d 2h 3m" (optionally signed: "-2h") into milliseconds. */
export function parseDuration(text: string): number {
  const trimmed = text.trim()
  const sign = trimmed.startsWith('-') ? -1 : 1
  const body = trimmed.replace(/^[-+]/, '').replace(/\s+/g, '')
  if (!/^(\d+[smhd])+$/.test(body)) throw new Error(`Invalid duration "${text}": use s, m, h, d, e.g. "25h" or "6d23h"`)
  let total = 0
  for (const [, amount, unit] of body.matchAll(/(\d+)([smhd])/g)) total += Number(amount) * (UNIT_MS[unit as string] ?? 0)
  return sign * total
}

export class Clock {
  private offsetMs = 0
  private frozenAt: number | null = null

  now(): number {
    return this.frozenAt ?? Date.now() + this.offsetMs
  }

  /** Moves sandbox time forward; it never goes back (as on a real platform). */
  advance(ms: number): number {
    if (ms < 0) throw new Error('The sandbox clock only moves forward')
    if (this.frozenAt !== null) this.frozenAt += ms
    else this.offsetMs += ms
    return this.now()
  }

  /** Frozen time makes per-second rate limits deterministic in tests. */
  freeze(): void {
    this.frozenAt ??= this.now()
  }

  unfreeze(): void {
    if (this.frozenAt === null) return
    this.offsetMs = this.frozenAt - Date.now()
    this.frozenAt = null
  }

  get frozen(): boolean {
    return this.frozenAt !== null
  }

  reset(): void {
    this.offsetMs = 0
    this.frozenAt = null
  }
}

/** Graph's datetime format: ISO 8601 with "+0000", e.g. 2022-07-12T19:11:07+0000. */
export function graphTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000')
}
