import type { DatabaseSync } from 'node:sqlite'
import type { ParticipantRepository } from './repositories.ts'
import { ids, parseInput, ParticipantInput, type Participant } from './schemas.ts'

export interface ParticipantRow {
  ig_account_id: string
  igsid: string
  name: string | null
  username: string | null
  profile_pic_url: string | null
  fetched_at: number
}

export const toParticipant = (r: ParticipantRow): Participant => ({
  igAccountId: r.ig_account_id,
  igsid: r.igsid,
  name: r.name,
  username: r.username,
  profilePicUrl: r.profile_pic_url,
  fetchedAt: r.fetched_at,
})

/** The User Profile API cache (A1). An older answer arriving late does not replace a newer one. */
export function createParticipantRepository({ db }: { db: DatabaseSync }): ParticipantRepository {
  const upsert = db.prepare(`
    INSERT INTO participants (ig_account_id, igsid, name, username, profile_pic_url, fetched_at)
    VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (ig_account_id, igsid) DO UPDATE SET
      name = excluded.name, username = excluded.username, profile_pic_url = excluded.profile_pic_url, fetched_at = excluded.fetched_at
    WHERE excluded.fetched_at >= participants.fetched_at`)
  const select = db.prepare('SELECT ig_account_id, igsid, name, username, profile_pic_url, fetched_at FROM participants WHERE ig_account_id = ? AND igsid = ?')
  const read = (igAccountId: string, igsid: string) => {
    const row = select.get(igAccountId, igsid) as ParticipantRow | undefined
    return row ? toParticipant(row) : null
  }

  return {
    async upsert(input) {
      const p = parseInput(ParticipantInput, input, 'participants.upsert')
      upsert.run(p.igAccountId, p.igsid, p.name, p.username, p.profilePicUrl, p.fetchedAt)
      return read(p.igAccountId, p.igsid)!
    },
    async get(igAccountId, igsid) {
      return read(parseInput(ids.id, igAccountId, 'participants.get: igAccountId'), parseInput(ids.id, igsid, 'participants.get: igsid'))
    },
  }
}
