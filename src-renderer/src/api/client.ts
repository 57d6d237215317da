import type {
  CommandInput,
  CommandName,
  CommandOutput,
  ContractError,
  EventMessage,
  EventName,
  EventPayload,
  ParleyBridge,
} from '../../../src-main/core/contract/index.ts'

/** A failed command, carrying the contract's error so views can show its plain words. */
export class ApiError extends Error {
  readonly code: string
  readonly issues: ContractError['issues']
  constructor(error: ContractError) {
    super(error.message)
    this.name = 'ApiError'
    this.code = error.code
    this.issues = error.issues
  }
}

export interface ApiClient {
  call<N extends CommandName>(name: N, ...input: CommandInput<N> extends undefined ? [] : [CommandInput<N>]): Promise<CommandOutput<N>>
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void
}

/** Typed calls over whichever bridge the host provides. */
export function createApiClient(bridge: ParleyBridge): ApiClient {
  return {
    async call(name, ...input) {
      const reply = await bridge.invoke(name, input[0])
      if (!reply.ok) throw new ApiError(reply.error)
      return reply.value as never
    },
    on(name, listener) {
      return bridge.on((event: EventMessage) => {
        if (event.name === name) listener(event.payload as never)
      })
    },
  }
}
