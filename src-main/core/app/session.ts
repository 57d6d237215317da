import { INTEGRATION_PERMISSION, type SessionView } from '../contract/integrations.ts'
import { ParleyError } from '../contract/errors.ts'
import type { SettingsFile } from '../settings/settingsFile.ts'

/**
 * Who sits at this workstation. On a single workstation the local user is a supervisor and holds
 * the integration permission; a workstation set up for an agent (`"localUser": {"profile": "agent"}`
 * in config.json) does not, and sees no Admin.
 */
export function readSession(file: SettingsFile): SessionView {
  const localUser = file.get('localUser') as { profile?: unknown } | undefined
  const profile = localUser?.profile === 'agent' ? 'agent' : 'supervisor'
  return { profile, permissions: profile === 'supervisor' ? [INTEGRATION_PERMISSION] : [] }
}

export function requirePermission(file: SettingsFile, permission: string): void {
  if (!readSession(file).permissions.includes(permission)) {
    throw new ParleyError('forbidden', `This needs the permission ${permission}, which this workstation's user does not hold.`)
  }
}
