// Who may run a command, decided in main for every call (P5), whatever the window shows.
import type { CallContext } from '../contract/context.ts'
import { ParleyError } from '../contract/errors.ts'
import { INTEGRATION_PERMISSION } from '../contract/integrations.ts'

/** Admin commands: integrations, profiles, people, queues and routing. */
export const supervisor = <I, O>(handler: (input: I, context: CallContext) => O) => (input: I, context: CallContext): O => {
  if (!context.actor.permissions.includes(INTEGRATION_PERMISSION)) {
    throw new ParleyError('forbidden', `This needs the permission ${INTEGRATION_PERMISSION}, which ${context.actor.username ? 'your account' : 'this workstation’s user'} does not hold.`)
  }
  return handler(input, context)
}
