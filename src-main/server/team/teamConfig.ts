// `npm run server`'s configuration: the environment and the command line, checked before anything
// starts, so that a mistake gets one plain line instead of a stack trace.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { resolveDataDir } from '../../core/app/dataDir.ts'

export class ConfigError extends Error {}

export interface TeamConfig {
  databaseUrl: string
  /** Where the server listens. Plain HTTP binds 127.0.0.1 only, behind a TLS proxy. */
  host: string
  port: number
  tls: { cert: Buffer; key: Buffer } | null
  /** The address people and Meta reach the server at (a load balancer's), when it differs from this node's. */
  publicUrl: string | null
  keyFile: string
  dataDir: string
  /** I1: requests per API key and minute (PARLEY_API_RATE_LIMIT); null: the default. */
  apiRequestsPerMinute: number | null
}

export const DEFAULT_PORT = 8080

export function readTeamConfig(env: NodeJS.ProcessEnv, options: { port?: string; host?: string }): TeamConfig {
  const databaseUrl = env.PARLEY_DATABASE_URL?.trim()
  if (!databaseUrl) throw new ConfigError('PARLEY_DATABASE_URL is not set: give the PostgreSQL database the server keeps its data in, e.g. postgres://parley:secret@db.example.com:5432/parley')
  try {
    const url = new URL(databaseUrl)
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new Error('scheme')
  } catch {
    throw new ConfigError('PARLEY_DATABASE_URL is not a PostgreSQL address: it should look like postgres://user:password@host:5432/database')
  }
  const port = Number(options.port ?? env.PARLEY_PORT ?? DEFAULT_PORT)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--port must be a whole number from 0 to 65535 (0 picks a free port), not "${options.port}".`)

  const certFile = env.PARLEY_TLS_CERT?.trim()
  const keyPath = env.PARLEY_TLS_KEY?.trim()
  if (Boolean(certFile) !== Boolean(keyPath)) throw new ConfigError('Set both PARLEY_TLS_CERT and PARLEY_TLS_KEY (the certificate and its private key, PEM), or neither.')
  const tls = certFile && keyPath ? { cert: readPem(certFile, 'PARLEY_TLS_CERT'), key: readPem(keyPath, 'PARLEY_TLS_KEY') } : null

  const publicUrl = env.PARLEY_PUBLIC_URL?.trim() || null
  if (publicUrl !== null) {
    let url: URL
    try {
      url = new URL(publicUrl)
    } catch {
      throw new ConfigError(`PARLEY_PUBLIC_URL "${publicUrl}" is not an address; use e.g. https://parley.example.com`)
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError('PARLEY_PUBLIC_URL must start with https:// (or http:// behind a proxy on this machine).')
  }
  const rateLimit = env.PARLEY_API_RATE_LIMIT?.trim()
  const apiRequestsPerMinute = rateLimit ? Number(rateLimit) : null
  if (apiRequestsPerMinute !== null && (!Number.isInteger(apiRequestsPerMinute) || apiRequestsPerMinute < 1 || apiRequestsPerMinute > 100_000)) {
    throw new ConfigError(`PARLEY_API_RATE_LIMIT must be a whole number of requests per key and minute, 1 to 100000, not "${rateLimit}".`)
  }
  const dataDir = resolveDataDir(env)
  return {
    databaseUrl,
    host: options.host ?? (tls ? '0.0.0.0' : '127.0.0.1'),
    port,
    tls,
    publicUrl: publicUrl === null ? null : new URL(publicUrl).origin,
    keyFile: env.PARLEY_SERVER_KEY_FILE?.trim() || join(dataDir, 'server.key'),
    dataDir,
    apiRequestsPerMinute,
  }
}

function readPem(path: string, variable: string): Buffer {
  if (!existsSync(path)) throw new ConfigError(`${variable} names ${path}, which does not exist.`)
  try {
    return readFileSync(path)
  } catch (error) {
    throw new ConfigError(`${variable} names ${path}, which cannot be read (${(error as Error).message}).`)
  }
}
