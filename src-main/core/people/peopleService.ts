// P2: the people of a team — added, changed, given a new password, deactivated — by supervisors
// (the handlers check that). Ending someone's sessions is immediate on every node: the sessions
// go from the store, and `onSessionsEnded` tells every node to close that person's connections.
import type { Actor } from '../contract/context.ts'
import { ParleyError } from '../contract/errors.ts'
import type { PersonView } from '../contract/people.ts'
import { isStoreError, type Person, type Store } from '../store/index.ts'
import { hashPassword } from './passwords.ts'

export interface PeopleServiceDeps {
  store: Pick<Store, 'people' | 'sessions'>
  now: () => number
  /** Every node closes this person's windows (their sessions are already gone from the store). */
  onSessionsEnded: (personId: string, reason: 'deactivated' | 'password_reset') => void
  onChange?: () => void
  hash?: (password: string) => Promise<string>
}

export const personView = (person: Person): PersonView => ({
  id: person.id,
  username: person.username,
  name: person.name,
  role: person.role,
  messageCapacity: person.messageCapacity,
  active: person.active,
  createdAt: new Date(person.createdAt).toISOString(),
})

export function createPeopleService(deps: PeopleServiceDeps) {
  const { store } = deps
  const hash = deps.hash ?? hashPassword
  const changed = () => deps.onChange?.()

  async function find(id: string): Promise<Person> {
    const person = await store.people.get(id)
    if (!person) throw new ParleyError('not_found', 'That person no longer exists.')
    return person
  }

  /** A team always keeps one active supervisor: someone must be able to manage it. */
  async function keepOneSupervisor(person: Person, what: string): Promise<void> {
    if (person.role !== 'supervisor' || !person.active) return
    if ((await store.people.countActive('supervisor')) <= 1) {
      throw new ParleyError('last_supervisor', `${person.name} is the only active supervisor, so they cannot be ${what}. Make someone else a supervisor first.`)
    }
  }

  return {
    async list(): Promise<PersonView[]> {
      return (await store.people.list()).map(personView)
    },

    async add({ password, ...input }: { username: string; name: string; role: Person['role']; messageCapacity: number; password: string }): Promise<PersonView> {
      try {
        const person = await store.people.create({ ...input, passwordHash: await hash(password) }, deps.now())
        changed()
        return personView(person)
      } catch (error) {
        if (isStoreError(error, 'conflict')) throw new ParleyError('username_taken', `The username "${input.username}" is already taken.`)
        throw error
      }
    },

    async update(input: { id: string; name?: string; role?: Person['role']; messageCapacity?: number }): Promise<PersonView> {
      const { id, ...changes } = input
      const person = await find(id)
      if (changes.role === 'agent') await keepOneSupervisor(person, 'made an agent')
      const updated = await store.people.update(id, changes)
      changed()
      return personView(updated)
    },

    async resetPassword(id: string, password: string): Promise<void> {
      await find(id)
      await store.people.setPasswordHash(id, await hash(password))
      await store.sessions.deleteForPerson(id)
      deps.onSessionsEnded(id, 'password_reset')
    },

    async deactivate(actor: Actor, id: string): Promise<PersonView> {
      const person = await find(id)
      if (person.id === actor.personId) throw new ParleyError('deactivate_self', 'You cannot deactivate yourself; ask another supervisor.')
      await keepOneSupervisor(person, 'deactivated')
      const updated = await store.people.setDeactivated(id, deps.now())
      deps.onSessionsEnded(id, 'deactivated')
      changed()
      return personView(updated)
    },

    async reactivate(id: string): Promise<PersonView> {
      await find(id)
      const updated = await store.people.setDeactivated(id, null)
      changed()
      return personView(updated)
    },

    /** P5 Assign to…: an active person to hold a conversation, or null to leave it waiting in its queue. */
    async assignable(id: string | null): Promise<string | null> {
      if (id === null) return null
      const person = await find(id)
      if (!person.active) throw new ParleyError('person_inactive', `${person.name} is deactivated and cannot be assigned conversations.`)
      return person.id
    },

    /** The name shown for a conversation's assignee; null for someone unknown. */
    async nameOf(id: string): Promise<string | null> {
      return (await store.people.get(id))?.name ?? null
    },
  }
}
export type PeopleService = ReturnType<typeof createPeopleService>
