// The verify token Meta echoes when it checks the callback (hub.verify_token). It must be the same
// after a restart (the supervisor pastes it into the App Dashboard once) and must not sit in a plain
// file. It is derived rather than stored: an HMAC of a fixed label and the App ID, keyed with the
// App Secret (which already lives in the keychain). Nothing new to keep or lose; a new App Secret
// gives a new token, which is right, since the app must be set up again then anyway. The HMAC is
// one-way, so showing the token (it has to be pasted) reveals nothing about the secret.
import { createHmac } from 'node:crypto'

const LABEL = 'parley/instagram-webhook-verify-token/v1'

export function deriveVerifyToken(appSecret: string, appId: string): string {
  return createHmac('sha256', appSecret).update(`${LABEL}:${appId}`, 'utf8').digest('base64url').slice(0, 32)
}
