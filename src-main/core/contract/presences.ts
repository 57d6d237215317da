// R2: what an agent is doing — plain constants, without zod, so the window's first script can use
// them without loading the contract's schemas.

/** `not_responding` is set by Parley only (an alert went unanswered). */
export const PRESENCES = ['on_queue', 'available', 'busy', 'away', 'break', 'offline', 'not_responding'] as const
export type Presence = (typeof PRESENCES)[number]
/** What a person may choose themselves. */
export const CHOOSABLE_PRESENCES = PRESENCES.filter((p): p is Exclude<Presence, 'not_responding'> => p !== 'not_responding')
export type ChoosablePresence = (typeof CHOOSABLE_PRESENCES)[number]
