// Meta's send limits per Instagram account (meta-platform.md §10): 300 calls/s for text, links and
// reactions, 10/s for audio and video. A backlog flushed after an outage must not run into (#613),
// so each send waits for a free slot in a sliding one-second window.

export const SEND_RATES = { text: 300, media: 10 } as const
export type SendBucket = keyof typeof SEND_RATES

const WINDOW_MS = 1000

export interface Pacer {
  /** Resolves when one more send to this account fits within the limit (and counts it). */
  take(accountId: string, bucket: SendBucket): Promise<void>
}

export function createPacer(options: { now?: () => number; sleep?: (ms: number) => Promise<void>; rates?: Record<SendBucket, number> } = {}): Pacer {
  const now = options.now ?? Date.now
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const rates = options.rates ?? SEND_RATES
  const windows = new Map<string, number[]>()

  return {
    async take(accountId, bucket) {
      const key = `${accountId}:${bucket}`
      const times = windows.get(key) ?? []
      windows.set(key, times)
      for (;;) {
        const at = now()
        while (times.length > 0 && times[0]! <= at - WINDOW_MS) times.shift()
        if (times.length < rates[bucket]) {
          times.push(at)
          return
        }
        await sleep(times[0]! + WINDOW_MS - at)
      }
    },
  }
}

export const bucketFor = (attachmentType: string | null): SendBucket => (attachmentType === 'audio' || attachmentType === 'video' ? 'media' : 'text')
