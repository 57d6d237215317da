// The rules main applies to a content profile (core/contract/contentProfileLimits.ts), checked here
// first so the editor can point at the line that is wrong.
import {
  MAX_PROFILE_BYTES,
  MAX_PROFILE_NAME_LENGTH,
  MAX_PROFILE_TYPES,
  MIME_TYPE_PATTERN,
} from '../../src-main/core/contract/contentProfileLimits.ts'

const MAX_MB = MAX_PROFILE_BYTES / (1024 * 1024)

export type ProfileErrorKey =
  | 'contentProfiles.errors.nameRequired'
  | 'contentProfiles.errors.nameTooLong'
  | 'contentProfiles.errors.badType'
  | 'contentProfiles.errors.tooManyTypes'
  | 'contentProfiles.errors.size'
export type ProfileError = { key: ProfileErrorKey; params?: Record<string, string | number> }
export type ProfileErrors = Partial<Record<'name' | 'inbound' | 'outbound' | 'maxMb', ProfileError>>

export function parseTypes(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim().toLowerCase())
    .filter(Boolean)
}

function checkTypes(text: string): ProfileError | undefined {
  const lines = text.split(/\r?\n/)
  for (const [index, raw] of lines.entries()) {
    const value = raw.trim().toLowerCase()
    if (value && !MIME_TYPE_PATTERN.test(value)) return { key: 'contentProfiles.errors.badType', params: { line: index + 1, value: raw.trim() } }
  }
  if (parseTypes(text).length > MAX_PROFILE_TYPES) return { key: 'contentProfiles.errors.tooManyTypes' }
  return undefined
}

export function checkProfile(draft: { name: string; inbound: string; outbound: string; maxMb: string }): ProfileErrors {
  const errors: ProfileErrors = {}
  const name = draft.name.trim()
  if (!name) errors.name = { key: 'contentProfiles.errors.nameRequired' }
  else if (name.length > MAX_PROFILE_NAME_LENGTH) errors.name = { key: 'contentProfiles.errors.nameTooLong' }
  const inbound = checkTypes(draft.inbound)
  if (inbound) errors.inbound = inbound
  const outbound = checkTypes(draft.outbound)
  if (outbound) errors.outbound = outbound
  // Accept a decimal comma too: German keyboards type "2,5".
  const mb = Number(draft.maxMb.trim().replace(',', '.'))
  if (!draft.maxMb.trim() || !Number.isFinite(mb) || mb <= 0 || mb > MAX_MB) errors.maxMb = { key: 'contentProfiles.errors.size' }
  return errors
}
