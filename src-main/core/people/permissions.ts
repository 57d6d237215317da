import type { Actor, Role } from '../contract/context.ts'
import { INTEGRATION_PERMISSION } from '../contract/integrations.ts'

/** P5: what a role may do. Supervisors manage integrations, profiles, people and routing. */
export function permissionsOf(role: Role): string[] {
  return role === 'supervisor' ? [INTEGRATION_PERMISSION] : []
}

export function actorOf(person: { id: string; name: string; username: string | null; role: Role }): Actor {
  return { personId: person.id, name: person.name, username: person.username, role: person.role, permissions: permissionsOf(person.role) }
}

export const isSupervisor = (actor: Actor) => actor.role === 'supervisor'
