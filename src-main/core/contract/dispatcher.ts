import type { z } from 'zod'
import { commands, isCommandName, type CommandName, type CommandOutput } from './commands.ts'
import { ParleyError, type ContractError, type Reply } from './errors.ts'

export type Handlers = {
  [N in CommandName]: (input: z.output<(typeof commands)[N]['input']>) => Promise<CommandOutput<N>> | CommandOutput<N>
}

export interface Dispatcher {
  /** Validates name and input, runs the handler, and always answers with a `Reply` — it never throws. */
  invoke(name: unknown, input: unknown): Promise<Reply<unknown>>
}

export interface DispatcherOptions {
  onInternalError?: (command: string, error: unknown) => void
}

export function createDispatcher(handlers: Handlers, options: DispatcherOptions = {}): Dispatcher {
  return {
    async invoke(name, input) {
      if (!isCommandName(name)) {
        return fail({ code: 'unknown_command', message: `Parley has no command called ${describe(name)}.` })
      }
      const spec = commands[name]
      const parsed = spec.input.safeParse(input)
      if (!parsed.success) {
        return fail({
          code: 'invalid_input',
          message: `The request "${name}" was not valid.`,
          issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
        })
      }
      try {
        const handler = handlers[name] as (input: unknown) => unknown
        const output = spec.output.parse(await handler(parsed.data))
        return { ok: true, value: output }
      } catch (error) {
        if (error instanceof ParleyError) return fail({ code: error.code, message: error.message })
        options.onInternalError?.(name, error)
        return fail({ code: 'internal', message: `Parley could not complete "${name}". The event log has the details.` })
      }
    },
  }
}

function fail(error: ContractError): Reply<never> {
  return { ok: false, error }
}

function describe(name: unknown): string {
  return typeof name === 'string' ? `"${name.slice(0, 80)}"` : `of type ${typeof name}`
}
