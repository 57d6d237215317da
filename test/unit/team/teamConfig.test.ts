import { describe, expect, it } from 'vitest'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { clientAddress } from '../../../src-main/server/team/clientAddress.ts'
import { readTeamConfig } from '../../../src-main/server/team/teamConfig.ts'

const db = 'postgres://parley:secret@db.example.com:5432/parley'

describe('the server configuration', () => {
  it('needs PARLEY_DATABASE_URL, a PostgreSQL address, and says so in one line', () => {
    expect(() => readTeamConfig({}, {})).toThrow(/PARLEY_DATABASE_URL is not set/)
    expect(() => readTeamConfig({ PARLEY_DATABASE_URL: 'mysql://x/y' }, {})).toThrow(/not a PostgreSQL address/)
    expect(() => readTeamConfig({ PARLEY_DATABASE_URL: db }, { port: 'eighty' })).toThrow(/--port must be a whole number/)
  })

  it('serves plain HTTP on 127.0.0.1 only without TLS, on every interface with it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-tls-'))
    writeFileSync(join(dir, 'cert.pem'), 'CERT')
    writeFileSync(join(dir, 'key.pem'), 'KEY')
    expect(readTeamConfig({ PARLEY_DATABASE_URL: db }, {})).toMatchObject({ host: '127.0.0.1', port: 8080, tls: null })
    const tls = readTeamConfig({ PARLEY_DATABASE_URL: db, PARLEY_TLS_CERT: join(dir, 'cert.pem'), PARLEY_TLS_KEY: join(dir, 'key.pem') }, { port: '8443' })
    expect(tls).toMatchObject({ host: '0.0.0.0', port: 8443 })
    expect(String(tls.tls?.cert)).toBe('CERT')
    expect(() => readTeamConfig({ PARLEY_DATABASE_URL: db, PARLEY_TLS_CERT: join(dir, 'cert.pem') }, {})).toThrow(/both PARLEY_TLS_CERT and PARLEY_TLS_KEY/)
    expect(() => readTeamConfig({ PARLEY_DATABASE_URL: db, PARLEY_TLS_CERT: join(dir, 'nope.pem'), PARLEY_TLS_KEY: join(dir, 'key.pem') }, {})).toThrow(/does not exist/)
  })

  it('keeps the server key beside the data unless PARLEY_SERVER_KEY_FILE names it, and takes a public address', () => {
    expect(readTeamConfig({ PARLEY_DATABASE_URL: db, PARLEY_DATA_DIR: '/srv/parley' }, {}).keyFile).toBe('/srv/parley/server.key')
    expect(readTeamConfig({ PARLEY_DATABASE_URL: db, PARLEY_SERVER_KEY_FILE: '/etc/parley/key' }, {}).keyFile).toBe('/etc/parley/key')
    expect(readTeamConfig({ PARLEY_DATABASE_URL: db, PARLEY_PUBLIC_URL: 'https://parley.example.com/' }, {}).publicUrl).toBe('https://parley.example.com')
    expect(() => readTeamConfig({ PARLEY_DATABASE_URL: db, PARLEY_PUBLIC_URL: 'ftp://x' }, {})).toThrow(/https/)
  })
})

describe('the address a sign-in comes from', () => {
  it('is the peer, or — behind a proxy on this machine — the address the proxy added last', () => {
    expect(clientAddress('203.0.113.7', undefined)).toBe('203.0.113.7')
    expect(clientAddress('::ffff:203.0.113.7', undefined)).toBe('203.0.113.7')
    expect(clientAddress('127.0.0.1', '198.51.100.1, 203.0.113.9')).toBe('203.0.113.9')
    expect(clientAddress('::1', '2001:db8::5')).toBe('2001:db8::5')
  })

  it('never trusts X-Forwarded-For from anywhere but loopback, nor a header that is not an address', () => {
    expect(clientAddress('203.0.113.7', '10.0.0.1')).toBe('203.0.113.7')
    expect(clientAddress('127.0.0.1', 'not-an-ip')).toBe('127.0.0.1')
  })
})
