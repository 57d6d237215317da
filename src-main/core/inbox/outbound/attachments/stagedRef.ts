/**
 * How an outbox row refers to a staged file: by its id, never by an address — the address Meta
 * fetches it at is made when the reply goes out (the outbox may wait offline while it changes).
 */
const STAGED_PREFIX = 'parley-staged:'
export const stagedRef = (id: string) => `${STAGED_PREFIX}${id}`
export const stagedIdOf = (url: string): string | null => (url.startsWith(STAGED_PREFIX) ? url.slice(STAGED_PREFIX.length) : null)
