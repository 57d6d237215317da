// Live mode's public webhook (A2): the HTTPS address a reverse proxy or tunnel forwards to Parley's
// receiver, and the local port it forwards to. Not a secret, so it lives in the settings file; a
// managed installation sets it through PARLEY_WEBHOOK_URL / PARLEY_WEBHOOK_PORT instead, and then
// the window cannot change it.
import { WebhookAddress, WebhookPort } from '../contract/integrations.ts'
import { ParleyError } from '../contract/errors.ts'
import type { SettingsFile } from './settingsFile.ts'

const KEY = 'webhook'

/** A fixed port, so that the proxy's target does not move between restarts. */
export const DEFAULT_WEBHOOK_PORT = 47600
/** Loopback: only the proxy on this machine reaches the receiver. Another host only by hand. */
export const DEFAULT_WEBHOOK_HOST = '127.0.0.1'

export interface WebhookSettings {
  /** An origin such as `https://parley.example.com`; null: no webhook, Parley polls. */
  publicUrl: string | null
  port: number
  host: string
  fromEnvironment: boolean
  /** An environment value that is not usable, in plain words; the settings file applies meanwhile. */
  environmentProblem: string | null
}

const HOST_PATTERN = /^[A-Za-z0-9.:-]{1,253}$/

function fileValues(file: SettingsFile) {
  const stored = file.get(KEY)
  const record = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {}
  // Edited by hand into something invalid: the default, as with the other preferences.
  const publicUrl = typeof record.publicUrl === 'string' ? (WebhookAddress.safeParse(record.publicUrl).data ?? null) : null
  const port = WebhookPort.safeParse(record.port).data ?? DEFAULT_WEBHOOK_PORT
  const host = typeof record.host === 'string' && HOST_PATTERN.test(record.host) ? record.host : DEFAULT_WEBHOOK_HOST
  return { publicUrl, port, host }
}

/** What applies now: the environment's values over the settings file's. */
export function readWebhookSettings(file: SettingsFile, env: NodeJS.ProcessEnv): WebhookSettings {
  const saved = fileValues(file)
  const envUrl = env.PARLEY_WEBHOOK_URL?.trim()
  const envPort = env.PARLEY_WEBHOOK_PORT?.trim()
  if (!envUrl && !envPort) return { ...saved, fromEnvironment: false, environmentProblem: null }

  const url = envUrl ? WebhookAddress.safeParse(envUrl) : null
  const port = envPort ? WebhookPort.safeParse(Number(envPort)) : null
  const problems = [
    url && !url.success ? `PARLEY_WEBHOOK_URL: ${url.error.issues[0]?.message}` : null,
    port && !port.success ? `PARLEY_WEBHOOK_PORT: ${port.error.issues[0]?.message}` : null,
  ].filter((p): p is string => p !== null)
  if (problems.length > 0) return { ...saved, fromEnvironment: false, environmentProblem: problems.join(' ') }
  return {
    publicUrl: url?.data ?? saved.publicUrl,
    port: port?.data ?? saved.port,
    host: saved.host,
    fromEnvironment: true,
    environmentProblem: null,
  }
}

/** Saves what the supervisor entered (already validated by the contract); keeps a hand-set host. */
export async function saveWebhookSettings(file: SettingsFile, env: NodeJS.ProcessEnv, input: { publicUrl: string | null; port: number }): Promise<void> {
  if (readWebhookSettings(file, env).fromEnvironment) {
    throw new ParleyError('webhook_from_environment', 'The webhook address is set by PARLEY_WEBHOOK_URL / PARLEY_WEBHOOK_PORT on this installation; change it there.')
  }
  const stored = file.get(KEY)
  const record = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {}
  await file.set(KEY, { ...record, publicUrl: input.publicUrl, port: input.port })
}
