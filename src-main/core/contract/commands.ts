import type { z } from 'zod'
import { AppInfo, NoInput, Preferences, PreferencesPatch } from './schemas.ts'

// Every request the UI can make of main: its input schema (validated in main) and its output schema.
export const commands = {
  'app.info': { input: NoInput, output: AppInfo },
  'settings.get': { input: NoInput, output: Preferences },
  'settings.set': { input: PreferencesPatch, output: Preferences },
} as const

export type Commands = typeof commands
export type CommandName = keyof Commands
export type CommandInput<N extends CommandName> = z.input<Commands[N]['input']>
export type CommandOutput<N extends CommandName> = z.output<Commands[N]['output']>

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(commands, name)
}
