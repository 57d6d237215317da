// appsecret_proof: HMAC-SHA256 of the access token keyed with the app secret, lowercase hex. With
// "Require App Secret" on (recommended by Meta), Graph refuses token calls that lack it.
import { createHmac } from 'node:crypto'

export function appsecretProof(accessToken: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(accessToken).digest('hex')
}
