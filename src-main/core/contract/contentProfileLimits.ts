// The limits of a content profile (S8). Main's schema checks them where a profile enters main; the
// editor checks the same ones as the person types. No zod here, so the window can import it.

/** A MIME type or a wildcard over one (`image/*`) or all (`*\/*`) types. */
export const MIME_TYPE_PATTERN = /^(\*\/\*|[a-z0-9][a-z0-9!#$&^_.+-]*\/(\*|[a-z0-9][a-z0-9!#$&^_.+-]*))$/
export const MAX_PROFILE_NAME_LENGTH = 80
/** Types per list (inbound, outbound). */
export const MAX_PROFILE_TYPES = 50
/** Instagram's own cap for audio, video and files; images are capped lower by Instagram still. */
export const MAX_PROFILE_BYTES = 25 * 1024 * 1024
