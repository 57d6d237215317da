// A4 on a team server: a file uploaded through one node is sent by another and served to Meta by
// whichever node Meta reaches — the staged file lives in the database, not on one node's disk.
import { describe, expect, it } from 'vitest'
import { solidPng } from '../../../src-main/sandbox/png.ts'
import { customerWrites, signIn } from '../../fixtures/teamServer.ts'
import { connectNordlicht, onCleanup, PASSWORD, startTeam } from './teamHelpers.ts'

describe('a file attached on a team server', () => {
  it('is uploaded through node A, sent through node B, and fetched by Meta from a node', async () => {
    const team = await startTeam()
    await team.addPerson('anna', 'Anna Berg', 'supervisor')
    const [a, b] = [await team.node(), await team.node()]
    const onA = await signIn(a.url, 'anna', PASSWORD)
    const onB = await signIn(b.url, 'anna', PASSWORD)
    onCleanup(async () => [onA, onB].forEach((w) => w.close()))
    const nordlicht = await connectNordlicht(a.url, onA)
    const arrived = onB.next((e) => e.name === 'inbox.changed' && (e.payload as { newInbound: boolean }).newInbound)
    await customerWrites(team.sandbox.url, nordlicht.instagram.id, { text: 'Wo finde ich euch?' })
    const { conversationIds: [conversationId] } = (await arrived).payload as { conversationIds: string[] }

    const png = solidPng('#2E7D32', 16)
    const upload = await fetch(`${a.url}/attachments?conversationId=${encodeURIComponent(conversationId!)}`, {
      method: 'POST',
      headers: { cookie: onA.cookie, origin: a.url, 'x-parley-file-name': 'Lageplan.png', 'content-length': String(png.length) },
      body: png,
    })
    expect(upload.status).toBe(200)
    const staged = (await upload.json()) as { id: string; mime: string; problems: unknown[] }
    expect(staged).toMatchObject({ mime: 'image/png', problems: [] })
    // Nobody signed in, or from another site, may upload.
    expect((await fetch(`${a.url}/attachments?conversationId=${conversationId}`, { method: 'POST', body: png })).status).toBe(401)
    expect((await fetch(`${a.url}/attachments?conversationId=${conversationId}`, { method: 'POST', headers: { cookie: onA.cookie, origin: 'https://evil.example' }, body: png })).status).toBe(403)

    expect(await onB.call('inbox.send', { id: '5f6a7b8c-9d0e-4f1a-8b2c-3d4e5f6a7b8c', conversationId, attachmentId: staged.id })).toMatchObject({ state: 'sent' })
    const sent = (await (await fetch(`${team.sandbox.url}/__sandbox/sent`)).json()) as { data: { message?: { attachment?: { payload?: { url?: string } } }; outcome: string }[] }
    const withFile = sent.data.filter((s) => s.message?.attachment)
    expect(withFile).toHaveLength(1)
    expect(withFile[0]!.outcome).toBe('accepted')
    // Once sent, the file is gone from the database.
    const { default: pg } = await import('pg')
    const client = new pg.Client({ connectionString: team.databaseUrl })
    await client.connect()
    const left = (await client.query('SELECT count(*)::int AS n FROM staged_files')).rows[0] as { n: number }
    await client.end()
    expect(left.n).toBe(0)
  }, 60_000)
})
