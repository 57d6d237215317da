// Meta sometimes repeats what it was sent in its error text. Whatever Parley keeps of that text must
// not carry a token or the secret, so every secret value of the request is cut out, and anything
// shaped like a Facebook token as well.

// User, page and system-user tokens start with "EAA"; app tokens are "{app-id}|{secret-or-hash}";
// appsecret_proofs are 64 hex digits.
const TOKEN_SHAPES = [/EAA[A-Za-z0-9]{16,}/g, /\b\d{5,}\|[A-Za-z0-9_-]{16,}/g, /\b[0-9a-fA-F]{64}\b/g]

export function redact(text: string, secrets: readonly string[]): string {
  let result = text
  // Longest first, so that a secret contained in another (id|secret) goes with it.
  for (const secret of [...secrets].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length)) {
    result = result.split(secret).join('[redacted]')
  }
  for (const shape of TOKEN_SHAPES) result = result.replace(shape, '[redacted]')
  return result
}
