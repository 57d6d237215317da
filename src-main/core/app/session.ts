import type { CallContext } from '../contract/context.ts'
import { LOCAL_AGENT } from '../contract/people.ts'
import { actorOf } from '../people/permissions.ts'
import type { SettingsFile } from '../settings/settingsFile.ts'

/**
 * Who sits at a single workstation. The local user is a supervisor and holds the integration
 * permission; a workstation set up for an agent (`"localUser": {"profile": "agent"}` in
 * config.json) does not, and sees no Admin. Every conversation there is theirs.
 */
export function workstationContext(file: SettingsFile, client: CallContext['client']): CallContext {
  const localUser = file.get('localUser') as { profile?: unknown } | undefined
  const role = localUser?.profile === 'agent' ? 'agent' : 'supervisor'
  return { actor: actorOf({ id: LOCAL_AGENT, name: 'Local user', username: null, role }), client }
}
