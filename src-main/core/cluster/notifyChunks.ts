// PostgreSQL's NOTIFY carries at most 8000 bytes. A longer message (a login's list of pages, an
// integration list) goes as numbered chunks, sent in one transaction, and is put together again.

const CHUNK_CHARS = 3500 // JSON is UTF-8: 3500 characters stay under 8000 bytes even at two bytes each.
const PREFIX = '\u0001'

/** The whole message when it fits; else chunks `\u0001id|index|count|part`. */
export function chunkMessage(id: string, text: string): string[] {
  if (Buffer.byteLength(text) < 7900 && !text.startsWith(PREFIX)) return [text]
  const count = Math.ceil(text.length / CHUNK_CHARS)
  return Array.from({ length: count }, (_, index) => `${PREFIX}${id}|${index}|${count}|${text.slice(index * CHUNK_CHARS, (index + 1) * CHUNK_CHARS)}`)
}

/** Feeds notifications in; returns a whole message once its last chunk arrived, else null. */
export function createReassembler(maxPending = 100) {
  const pending = new Map<string, string[]>()
  return (payload: string): string | null => {
    if (!payload.startsWith(PREFIX)) return payload
    const [id, index, count] = payload.slice(1).split('|', 3)
    const part = payload.slice(1 + `${id}|${index}|${count}|`.length)
    const parts = pending.get(id!) ?? []
    parts[Number(index)] = part
    if (parts.filter((p) => p !== undefined).length === Number(count)) {
      pending.delete(id!)
      return parts.join('')
    }
    pending.set(id!, parts)
    // A sender that died mid-message leaves its chunks behind: forget the oldest.
    if (pending.size > maxPending) pending.delete(pending.keys().next().value!)
    return null
  }
}
