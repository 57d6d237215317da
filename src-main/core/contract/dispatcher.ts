import type { z } from 'zod'
import { commands, isCommandName, type CommandName, type CommandOutput } from './commands.ts'
import type { CallContext } from './context.ts'
import { ParleyError, type ContractError, type Reply } from './errors.ts'

export type Handlers = {
  [N in CommandName]: (input: z.output<(typeof commands)[N]['input']>, context: CallContext) => Promise<CommandOutput<N>> | CommandOutput<N>
}

export interface Dispatcher {
  /**
   * Validates name and input, runs the handler as `context`'s person, and always answers with a
   * `Reply` — it never throws. Without a context the dispatcher's default one applies (a single
   * workstation's local user); where there is none (the team server), the call is refused.
   */
  invoke(name: unknown, input: unknown, context?: CallContext): Promise<Reply<unknown>>
}

export interface DispatcherOptions {
  onInternalError?: (command: string, error: unknown) => void
  /** Who asks when a transport names nobody: the local user of a workstation. None on the team server. */
  defaultContext?: () => CallContext
}

export function createDispatcher(handlers: Handlers, options: DispatcherOptions = {}): Dispatcher {
  return {
    async invoke(name, input, given) {
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
      const context = given ?? options.defaultContext?.()
      if (!context) return fail({ code: 'not_signed_in', message: 'Sign in to Parley first.' })
      try {
        const handler = handlers[name] as (input: unknown, context: CallContext) => unknown
        const output = spec.output.parse(await handler(parsed.data, context))
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
