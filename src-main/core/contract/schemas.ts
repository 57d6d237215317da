import { z } from 'zod'

// Payload schemas shared by commands and events. Objects strip unknown keys when parsed,
// so nothing a handler did not declare (a token, a secret) can leak into a reply.

export const Mode = z.enum(['sandbox', 'live'])
export type Mode = z.infer<typeof Mode>

export const Language = z.enum(['en', 'de'])
export type Language = z.infer<typeof Language>

export const Theme = z.enum(['system', 'light', 'dark'])
export type Theme = z.infer<typeof Theme>

export const Preferences = z.object({
  language: Language,
  theme: Theme,
})
export type Preferences = z.infer<typeof Preferences>

export const PreferencesPatch = Preferences.partial().strict()
export type PreferencesPatch = z.infer<typeof PreferencesPatch>

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  mode: Mode,
  dataDir: z.string(),
})
export type AppInfo = z.infer<typeof AppInfo>

export const AppStatus = z.object({
  mode: Mode,
  /** `stopping` lets a window tell "Parley was closed" apart from a dropped connection. */
  phase: z.enum(['ready', 'stopping']),
})
export type AppStatus = z.infer<typeof AppStatus>

/**
 * Meta's time as main counts it, epoch ms: the sandbox's movable clock, or this machine's in live
 * mode. Reply windows are counted on it, in main and in every window.
 */
export const MetaClock = z.object({ now: z.number().int() })
export type MetaClock = z.infer<typeof MetaClock>

export const NoInput = z.undefined()
