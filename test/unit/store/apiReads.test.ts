// I1: what the REST API reads of people, the same on SQLite and PostgreSQL — paged by id, every
// person of the team, and never a workstation's own person (who is nobody's colleague).
import { expect, it } from 'vitest'
import { LOCAL_AGENT } from '../../../src-main/core/contract/people.ts'
import { describeStore } from './helpers.ts'

const T0 = 1_760_000_000_000
const PASSWORD_HASH = 'scrypt$1024$8$1$c2FsdA==$a2V5a2V5a2V5'

describeStore('the API’s people (I1)', (open) => {
  it('pages the team by id, deactivated people marked, without the workstation’s person', async () => {
    const store = await open()
    const person = (id: string, name: string) => store.people.create({ id, username: id, name, role: 'agent', messageCapacity: 4, passwordHash: PASSWORD_HASH }, T0)
    await person('p-anna', 'Anna Berg')
    await person(LOCAL_AGENT, 'Local user')
    await person('p-ben', 'Ben Kraus')
    await person('p-zoe', 'Zoe Lang')
    await store.people.setDeactivated('p-ben', T0 + 1)

    const first = await store.apiReads.people(2)
    expect(first.map((p) => [p.id, p.active])).toEqual([['p-anna', true], ['p-ben', false]])
    const rest = await store.apiReads.people(2, first.at(-1)!.id)
    expect(rest.map((p) => p.name)).toEqual(['Zoe Lang'])
  })
})
