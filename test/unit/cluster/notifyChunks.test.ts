import { describe, expect, it } from 'vitest'
import { chunkMessage, createReassembler } from '../../../src-main/core/cluster/notifyChunks.ts'

describe('cluster messages over NOTIFY', () => {
  it('go whole when they fit in one notification', () => {
    expect(chunkMessage('id', '{"a":1}')).toEqual(['{"a":1}'])
  })

  it('go in chunks under 8000 bytes each when long, and come back whole in order', () => {
    const text = JSON.stringify({ pages: Array.from({ length: 400 }, (_, i) => ({ id: `page-${i}`, name: `Seite ${i} – Grüße ✓` })) })
    const chunks = chunkMessage('m1', text)
    expect(chunks.length).toBeGreaterThan(1)
    for (const chunk of chunks) expect(Buffer.byteLength(chunk)).toBeLessThan(8000)
    const reassemble = createReassembler()
    const results = chunks.map(reassemble)
    expect(results.slice(0, -1).every((r) => r === null)).toBe(true)
    expect(results.at(-1)).toBe(text)
  })

  it('keep interleaved messages of two senders apart', () => {
    const a = chunkMessage('a', 'A'.repeat(9000))
    const b = chunkMessage('b', 'B'.repeat(9000))
    const reassemble = createReassembler()
    const whole = [a[0]!, b[0]!, a[1]!, b[1]!, a[2]!, b[2]!].map(reassemble).filter((r) => r !== null)
    expect(whole).toEqual(['A'.repeat(9000), 'B'.repeat(9000)])
  })

  it('forget the chunks of a sender that died mid-message once too many are pending', () => {
    const reassemble = createReassembler(2)
    for (const id of ['x', 'y', 'z']) reassemble(chunkMessage(id, 'Z'.repeat(9000))[0]!)
    const rest = chunkMessage('x', 'Z'.repeat(9000)).slice(1).map(reassemble)
    expect(rest.every((r) => r === null)).toBe(true)
  })
})
