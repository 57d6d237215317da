// Times cross the contract (and the REST API, and events) as ISO 8601 strings in UTC; core keeps
// epoch milliseconds.

export const iso = (ms: number) => new Date(ms).toISOString()

/** For times that may not have happened yet (last used, ended, revoked…). */
export const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms))
