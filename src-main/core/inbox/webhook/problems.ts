// What can go wrong with the webhook, in plain words (the window translates by `code` and `params`).
// Receiving never stops over any of these: it polls the Conversations API meanwhile.
import type { Problem } from '../../contract/integrations.ts'
import { isGraphError } from '../../graph/index.ts'

const POLLING = 'Until then Parley polls the Conversations API every 30 s.'

/** Meta (or the sandbox) did not take the callback: refused it, or could not be reached. */
export function registrationProblem(error: unknown, where: { callbackUrl: string; host: string; port: number }, sandbox = false): Problem {
  const params = { callbackUrl: where.callbackUrl, host: where.host, port: String(where.port) }
  if (isGraphError(error) && (error.kind === 'network' || error.kind === 'temporary' || error.kind === 'rate_limited')) {
    return {
      code: 'webhook.unreachable',
      message: 'Parley could not reach Meta to register the webhook.',
      remedy: `Parley tries again once Meta answers. ${POLLING}`,
      params,
    }
  }
  if (sandbox) {
    return { code: 'webhook.sandbox', message: 'The sandbox did not accept Parley’s webhook receiver.', remedy: 'Restart Parley; if it happens again, restart the sandbox too.', params }
  }
  // Meta's own words say what its check found (e.g. the verification request failed); they are
  // already stripped of tokens by the Graph client.
  const reason = isGraphError(error) ? (error.metaMessage ?? error.message) : error instanceof Error ? error.message : String(error)
  return {
    code: 'webhook.refused',
    message: `Meta did not accept the webhook address ${where.callbackUrl}: ${reason}`,
    remedy: `Check that ${where.callbackUrl} is reachable from the internet over HTTPS and forwards to ${where.host}:${where.port}, then press Save again. ${POLLING}`,
    params: { ...params, reason },
  }
}

/** The receiver cannot listen where the proxy expects it. */
export function listenProblem(error: unknown, where: { host: string; port: number }): Problem {
  const code = (error as { code?: unknown })?.code
  const reason = typeof code === 'string' ? code : 'error'
  return {
    code: 'webhook.listen',
    message: `The webhook receiver cannot listen on ${where.host}:${where.port} (${reason}).`,
    remedy: `Choose another local port and point the proxy at it, or stop the program using this one. ${POLLING}`,
    params: { host: where.host, port: String(where.port), reason },
  }
}

export function noSecretProblem(): Problem {
  return {
    code: 'webhook.no_secret',
    message: 'The App Secret is not available, so Meta’s webhook calls cannot be checked.',
    remedy: `Enter the App Secret again above. ${POLLING}`,
  }
}

export function environmentProblem(detail: string): Problem {
  return {
    code: 'webhook.environment',
    message: `The webhook settings in the environment are not usable: ${detail}`,
    remedy: 'Correct PARLEY_WEBHOOK_URL / PARLEY_WEBHOOK_PORT and restart Parley; the saved settings apply meanwhile.',
    params: { reason: detail },
  }
}
