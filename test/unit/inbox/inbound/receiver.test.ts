// X3, X4 over real HTTP: only bodies signed with the app secret over their exact bytes are taken;
// the rest is refused with a clear error, logged without content, and changes nothing stored.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_MAX_BODY_BYTES, registerAppWebhook, signBody } from '../../../../src-main/core/inbox/inbound/index.ts'
import { NORDLICHT_IG, startHarness, type Harness, type Workstation } from './harness.ts'

let h: Harness
let ws: Workstation
beforeEach(async () => {
  h = await startHarness()
  ws = await h.startParley()
})
afterEach(() => h.close())

const payload = (mid: string, text: string) => ({
  object: 'instagram',
  entry: [{ id: NORDLICHT_IG, time: h.now(), messaging: [{ sender: { id: '6618576110568109' }, recipient: { id: NORDLICHT_IG }, timestamp: h.now(), message: { mid, text } }] }],
})

const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
  fetch(ws.server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })

async function answer(response: Response) {
  return { status: response.status, body: await response.text() }
}

describe('signature (X3)', () => {
  it('takes what the sandbox signs over its exact bytes (escaped slashes, \\u-escaped umlauts)', async () => {
    await ws.subscribe()
    const sent = await h.inbound({ from: 'lea', text: 'Grüße aus Köln — open 9/5?' })
    await ws.settle()
    const [delivery] = await h.deliveries()
    expect(delivery!.body).toContain('\\u00fc') // Meta's serialisation, not JSON.stringify's
    expect(delivery!.attempts.map((a) => a.status)).toEqual([200])
    expect(await ws.store.messages.get(sent.mid)).toMatchObject({ text: 'Grüße aus Köln — open 9/5?', direction: 'inbound', kind: 'text' })
  })

  it('refuses an altered byte, a wrong secret and a missing header with 403, and stores nothing', async () => {
    const body = JSON.stringify(payload('m-forged', 'pay here: evil.example'))
    const good = signBody(body, h.sandbox.appSecret)
    const altered = Buffer.from(body)
    altered[altered.indexOf('evil')] = 'E'.charCodeAt(0)

    expect(await answer(await post(altered, { 'x-hub-signature-256': good }))).toEqual({ status: 403, body: expect.stringMatching(/does not match the body/) })
    expect(await answer(await post(body, { 'x-hub-signature-256': signBody(body, 'not-the-app-secret') }))).toMatchObject({ status: 403 })
    expect(await answer(await post(body))).toEqual({ status: 403, body: expect.stringMatching(/X-Hub-Signature-256 is missing/) })
    expect(await answer(await post(body, { 'x-hub-signature-256': 'sha1=abc' }))).toEqual({ status: 403, body: expect.stringMatching(/not of the form/) })
    expect(await ws.store.messages.get('m-forged')).toBeNull()
    expect(await ws.store.conversations.count()).toBe(0)

    // The same bytes, correctly signed, are taken: the refusals were about the signature only.
    expect(await answer(await post(body, { 'x-hub-signature-256': good }))).toEqual({ status: 200, body: 'EVENT_RECEIVED' })
    expect(await ws.store.messages.get('m-forged')).toMatchObject({ text: 'pay here: evil.example' })
  })

  it('logs refusals without the body’s text', async () => {
    const body = JSON.stringify(payload('m-secret', 'my card number is 4111'))
    await post(body, { 'x-hub-signature-256': signBody(body, 'wrong') })
    await post('{"object":"instagram", broken 4111', { 'x-hub-signature-256': signBody('{"object":"instagram", broken 4111', h.sandbox.appSecret) })
    expect(ws.logLines.filter((l) => l.startsWith('warn webhook refused'))).toHaveLength(2)
    expect(ws.logLines.join('\n')).not.toContain('4111')
    expect(ws.logLines.join('\n')).not.toContain(h.sandbox.appSecret)
  })
})

describe('bad input (X4)', () => {
  const signed = (body: string | Buffer) => post(body, { 'x-hub-signature-256': signBody(body, h.sandbox.appSecret) })

  const refusal = async (response: Response) => ({ status: response.status, ...(JSON.parse(await response.text()) as { accepted: number; refusedCount: number; refused: { at: string; reason: string }[] }) })

  it('refuses malformed JSON, another object and a payload without entries with 400 and a reason', async () => {
    expect(await answer(await signed('{"object":'))).toEqual({ status: 400, body: 'The body is not JSON.' })
    expect(await refusal(await signed(JSON.stringify({ object: 'page', entry: [] })))).toMatchObject({ status: 400, refused: [{ at: 'payload', reason: 'object: expected "instagram"' }] })
    expect(await refusal(await signed(JSON.stringify({ object: 'instagram' })))).toMatchObject({ status: 400, refused: [{ at: 'payload', reason: 'entry: expected array, received undefined' }] })
    expect(await refusal(await signed('[1,2]'))).toMatchObject({ status: 400, refused: [{ at: 'payload', reason: 'expected object, received array' }] })
    expect(await ws.store.conversations.count()).toBe(0)
  })

  it('refuses an envelope with the wrong types with 400, names each place and type, and logs no content', async () => {
    const customer = '6618576110568109'
    const event = { sender: { id: customer }, recipient: { id: NORDLICHT_IG }, timestamp: h.now(), message: { mid: 'm-typed', text: 'my card is 4111' } }
    const bodies: [unknown, string, string][] = [
      [{ object: 'instagram', entry: [{ id: Number(NORDLICHT_IG), time: h.now(), messaging: [event] }] }, 'entry[0]', 'id: expected string, received number'],
      [{ object: 'instagram', entry: [{ id: NORDLICHT_IG, time: String(h.now()), messaging: [event] }] }, 'entry[0]', 'time: expected number, received string'],
      [{ object: 'instagram', entry: [{ id: NORDLICHT_IG, time: h.now(), messaging: [{ ...event, sender: null }] }] }, 'entry[0].messaging[0]', 'sender: expected object, received null'],
      [{ object: 'instagram', entry: [{ id: NORDLICHT_IG, time: h.now(), messaging: [{ ...event, message: 4111 }] }] }, 'entry[0].messaging[0]', 'message: expected object, received number'],
      [{ object: 'instagram', entry: [{ id: NORDLICHT_IG, time: h.now(), messaging: { 0: event } }] }, 'entry[0]', 'messaging: expected array, received object'],
    ]
    for (const [body, at, reason] of bodies) {
      const response = await signed(JSON.stringify(body))
      expect(response.headers.get('content-type')).toMatch(/^application\/json/)
      expect(await refusal(response)).toEqual({ status: 400, message: expect.stringMatching(/nothing was stored/), accepted: 0, refusedCount: 1, refused: [{ at, reason }] })
    }
    expect(await ws.store.messages.get('m-typed')).toBeNull()
    const refused = ws.logLines.filter((l) => l.startsWith('warn webhook refused: the payload does not match Meta’s envelope'))
    expect(refused).toHaveLength(bodies.length)
    expect(refused[2]).toContain('entry[0].messaging[0]: sender: expected object, received null')
    expect(ws.logLines.join('\n')).not.toMatch(/4111|m-typed/)
  })

  it('refuses an oversized body with 413 before looking at it', async () => {
    const big = Buffer.alloc(DEFAULT_MAX_BODY_BYTES + 10, 0x20)
    expect(await answer(await signed(big))).toEqual({ status: 413, body: expect.stringMatching(/larger than/) })
    expect(ws.logLines.some((l) => l.includes('webhook refused') && l.includes('"status":413'))).toBe(true)
  })

  it('stops reading a body sent without a length once it passes the limit', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x20)
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= DEFAULT_MAX_BODY_BYTES * 4) return controller.close()
        sent += chunk.length
        controller.enqueue(chunk)
      },
    })
    const response = await fetch(ws.server.url, { method: 'POST', body, duplex: 'half' } as RequestInit)
    expect(await answer(response)).toEqual({ status: 413, body: expect.stringMatching(/larger than/) })
  })

  it('skips malformed events inside a valid payload, keeps the good ones, and loses nothing stored', async () => {
    await ws.subscribe()
    const first = await h.inbound({ from: 'lea', text: 'before the bad payload' })
    await ws.settle()
    const body = JSON.stringify({
      object: 'instagram',
      entry: [
        { id: NORDLICHT_IG, time: h.now(), messaging: [
          'not an event',
          { sender: { id: '6618576110568109' }, recipient: { id: NORDLICHT_IG }, timestamp: h.now(), message: { text: 'no mid here' } },
          { sender: { id: '6618576110568109' }, recipient: { id: NORDLICHT_IG }, timestamp: 'soon', message: { mid: 'm-bad-time', text: 'x' } },
          { sender: { id: '6618576110568109' }, recipient: { id: NORDLICHT_IG }, timestamp: h.now(), message: { mid: 'm-bad-att', attachments: [{ payload: {} }] } },
          { sender: { id: '6618576110568109' }, recipient: { id: NORDLICHT_IG }, timestamp: h.now(), message: { mid: 'm-good', text: 'the good one' } },
          // A repeat of a stored mid with other content must not overwrite it.
          { sender: { id: '6618576110568109' }, recipient: { id: NORDLICHT_IG }, timestamp: h.now(), message: { mid: first.mid, text: 'overwritten?' } },
        ] },
        { time: h.now(), messaging: [] },
      ],
    })
    // The good events are stored and the answer is 2xx (see webhookReceiver.ts for why not 400);
    // the refused ones are named, by place and type, in the answer and in one log line.
    const response = await signed(body)
    expect(await refusal(response)).toEqual({
      status: 200, message: expect.stringMatching(/the other events were stored/), accepted: 2, refusedCount: 5,
      refused: [
        { at: 'entry[0].messaging[0]', reason: 'expected object, received string' },
        { at: 'entry[0].messaging[1]', reason: 'message.mid: expected string, received undefined' },
        { at: 'entry[0].messaging[2]', reason: 'timestamp: expected number, received string' },
        { at: 'entry[0].messaging[3]', reason: 'message.attachments[0].type: expected string, received undefined' },
        { at: 'entry[1]', reason: 'id: expected string, received undefined' },
      ],
    })
    expect(await ws.store.messages.get('m-good')).toMatchObject({ text: 'the good one' })
    expect(await ws.store.messages.get('m-bad-time')).toBeNull()
    expect(await ws.store.messages.get('m-bad-att')).toBeNull()
    expect(await ws.store.messages.get(first.mid)).toMatchObject({ text: 'before the bad payload' })
    const refused = ws.logLines.filter((l) => l.startsWith('warn webhook events refused'))
    expect(refused).toHaveLength(1)
    expect(JSON.parse(refused[0]!.slice(refused[0]!.indexOf('{'))).refused).toContain('entry[0].messaging[1]: message.mid: expected string, received undefined')
    expect(ws.logLines.join('\n')).not.toMatch(/no mid here|the good one/)

    // The same bytes again (as Meta would after a lost answer) store nothing twice.
    expect((await signed(body)).status).toBe(200)
    expect(ws.changes.filter((c) => c.kind === 'message' && c.mid === 'm-good')).toHaveLength(1)
  })
})

describe('hub.challenge (subscription check)', () => {
  it('answers the challenge only to its verify token', async () => {
    const url = (q: Record<string, string>) => `${ws.server.url}?${new URLSearchParams(q)}`
    expect(await answer(await fetch(url({ 'hub.mode': 'subscribe', 'hub.verify_token': ws.verifyToken, 'hub.challenge': '1158201444' })))).toEqual({ status: 200, body: '1158201444' })
    expect(await answer(await fetch(url({ 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1' })))).toEqual({ status: 403, body: 'hub.verify_token does not match.' })
    expect(await answer(await fetch(url({ 'hub.mode': 'unsubscribe', 'hub.verify_token': ws.verifyToken, 'hub.challenge': '1' })))).toMatchObject({ status: 403 })
  })

  it('registers with the sandbox through POST /{app-id}/subscriptions, which checks the challenge first', async () => {
    await expect(registerAppWebhook(h.graph, { callbackUrl: ws.server.url, verifyToken: 'not-what-the-receiver-expects' })).rejects.toMatchObject({ name: 'GraphError' })
    let state = await h.control<{ webhookSubscription: unknown }>('GET', 'state')
    expect(state.webhookSubscription).toBeNull()

    await ws.subscribe()
    state = await h.control('GET', 'state')
    expect(state.webhookSubscription).toMatchObject({ object: 'instagram', callbackUrl: ws.server.url, fields: ['messages', 'messaging_seen', 'message_reactions'] })
    expect(ws.logLines.some((l) => l.startsWith('info webhook subscription verified'))).toBe(true)
  })
})
