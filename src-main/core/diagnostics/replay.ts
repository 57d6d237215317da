// T4: webhook payloads — recorded in the event log (redacted) or given as files, one payload per file
// as Meta sends them — replayed into the sandbox to reproduce a problem without Meta. Ids of another
// business are mapped onto the sandbox's seed business (the Instagram account and its customers),
// consistently within one replay, and each payload's outcome is reported.
import { readFile } from 'node:fs/promises'

export interface ReplaySource {
  /** A file name, or "log 2026-05-01T10:00:00.000Z" for a recorded payload. */
  label: string
  payload: unknown
}

export interface ReplayResult {
  label: string
  ok: boolean
  /** What happened, in plain words. */
  outcome: string
  deliveryId: number | null
  /** The receiver's HTTP status, when it answered. */
  status: number | null
  /** Ids replaced by the seed business's: original → sandbox. */
  mapped: Record<string, string>
}

interface SandboxState {
  pages: { instagram: { id: string; linked: boolean; professional: boolean } | null }[]
  customers: { id: string; igsids: Record<string, string> }[]
  webhookSubscription: { callbackUrl: string } | null
}

type Json = Record<string, unknown>
const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)

/** Reads files as payloads; a file that is not JSON becomes a source the replay reports as refused. */
export async function payloadFiles(paths: readonly string[]): Promise<ReplaySource[]> {
  return Promise.all(
    paths.map(async (path) => {
      try {
        return { label: path, payload: JSON.parse(await readFile(path, 'utf8')) as unknown }
      } catch (error) {
        return { label: path, payload: { unreadable: (error as Error).message } }
      }
    }),
  )
}

/** A mapping kept across the payloads of one replay: the same customer stays the same customer. */
export function createSeedMapper(state: SandboxState) {
  const accounts = state.pages.flatMap((p) => (p.instagram && p.instagram.linked && p.instagram.professional ? [p.instagram.id] : []))
  const accountMap = new Map<string, string>()
  const customerMaps = new Map<string, Map<string, string>>()
  const account = (id: string): string => {
    if (accounts.includes(id)) return id
    let mapped = accountMap.get(id)
    if (!mapped) accountMap.set(id, (mapped = accounts[accountMap.size % accounts.length]!))
    return mapped
  }
  const customer = (seedAccount: string, igsid: string): string => {
    const known = state.customers.map((c) => c.igsids[seedAccount]).filter((v): v is string => Boolean(v))
    if (known.includes(igsid)) return igsid
    let map = customerMaps.get(seedAccount)
    if (!map) customerMaps.set(seedAccount, (map = new Map()))
    let mapped = map.get(igsid)
    if (!mapped) map.set(igsid, (mapped = known[map.size % known.length]!))
    return mapped
  }
  return {
    /** The payload with its ids on the seed business, and what was replaced. */
    map(payload: Json): { payload: Json; mapped: Record<string, string> } {
      const mapped: Record<string, string> = {}
      const copy = structuredClone(payload)
      for (const entry of Array.isArray(copy.entry) ? copy.entry : []) {
        if (!isRecord(entry) || typeof entry.id !== 'string') continue
        const original = entry.id
        const seed = account(original)
        if (seed !== original) mapped[original] = seed
        entry.id = seed
        for (const event of [...(Array.isArray(entry.messaging) ? entry.messaging : []), ...(Array.isArray(entry.changes) ? entry.changes : [])]) {
          if (!isRecord(event)) continue
          for (const side of ['sender', 'recipient'] as const) {
            const party = event[side]
            if (!isRecord(party) || typeof party.id !== 'string') continue
            const next = party.id === original ? seed : customer(seed, party.id)
            if (next !== party.id) mapped[party.id] = next
            party.id = next
          }
        }
      }
      return { payload: copy, mapped }
    },
  }
}

/** Why a payload is not one Meta would send, or null. */
export function payloadProblem(payload: unknown): string | null {
  if (!isRecord(payload)) return 'It is not a JSON object.'
  if ('unreadable' in payload && Object.keys(payload).length === 1) return `It cannot be read as JSON (${String(payload.unreadable)}).`
  if (payload.object !== 'instagram') return 'It is not an Instagram webhook payload ("object" is not "instagram").'
  if (!Array.isArray(payload.entry) || payload.entry.length === 0) return 'It has no "entry" list.'
  return null
}

/** Replays each payload into the sandbox at `sandboxUrl`, in order, waiting for each delivery's answer. */
export async function replayIntoSandbox(sandboxUrl: string, sources: readonly ReplaySource[], options: { waitMs?: number } = {}): Promise<ReplayResult[]> {
  const base = sandboxUrl.replace(/\/+$/, '')
  const state = (await (await fetch(`${base}/__sandbox/state`)).json()) as SandboxState
  const mapper = createSeedMapper(state)
  const results: ReplayResult[] = []
  for (const source of sources) {
    const problem = payloadProblem(source.payload)
    if (problem) {
      results.push({ label: source.label, ok: false, outcome: `Refused: ${problem}`, deliveryId: null, status: null, mapped: {} })
      continue
    }
    if (!state.webhookSubscription) {
      results.push({ label: source.label, ok: false, outcome: 'Not replayed: no Parley is subscribed to the sandbox’s webhooks (start Parley in sandbox mode on this sandbox).', deliveryId: null, status: null, mapped: {} })
      continue
    }
    const { payload, mapped } = mapper.map(source.payload as Json)
    const answer = await fetch(`${base}/__sandbox/webhooks/replay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ payload }) })
    const body = (await answer.json()) as { id?: number; error?: { message?: string } }
    if (!answer.ok || typeof body.id !== 'number') {
      results.push({ label: source.label, ok: false, outcome: `The sandbox refused it: ${body.error?.message ?? answer.status}`, deliveryId: null, status: null, mapped })
      continue
    }
    results.push({ label: source.label, mapped, deliveryId: body.id, ...(await deliveryOutcome(base, body.id, options.waitMs ?? 10_000)) })
  }
  return results
}

async function deliveryOutcome(base: string, id: number, waitMs: number): Promise<Pick<ReplayResult, 'ok' | 'outcome' | 'status'>> {
  const until = Date.now() + waitMs
  for (;;) {
    const { data } = (await (await fetch(`${base}/__sandbox/webhooks`)).json()) as { data: { id: number; state: string; attempts: { status?: number; error?: string }[] }[] }
    const delivery = data.find((d) => d.id === id)
    const last = delivery?.attempts.at(-1)
    if (delivery?.state === 'delivered') return { ok: true, outcome: `Delivered: Parley answered ${last?.status ?? 200}.`, status: last?.status ?? 200 }
    if (delivery?.state === 'failed') return { ok: false, outcome: `Not accepted: ${last?.status ? `Parley answered ${last.status}` : (last?.error ?? 'no answer')}.`, status: last?.status ?? null }
    if (Date.now() > until) return { ok: false, outcome: `No answer yet after ${Math.round(waitMs / 1000)} s${last ? ` (last attempt: ${last.status ?? last.error})` : ''}.`, status: last?.status ?? null }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
