// Parley's core as a team server node runs it: the store and the cluster on PostgreSQL, secrets
// sealed with the server's key, shared settings in the database, people signing in.
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { Logger } from '../../core/app/logger.ts'
import { detectMode, liveAppId } from '../../core/app/mode.ts'
import { createParley, type Parley } from '../../core/app/parley.ts'
import { openPgCluster, type PgCluster } from '../../core/cluster/pgCluster.ts'
import { createEventLog } from '../../core/diagnostics/eventLog.ts'
import { eventLogDir, INCLUDE_TEXT_SETTING } from '../../core/diagnostics/service.ts'
import type { WebhookMount } from '../../core/inbox/receiving.ts'
import { startMetaRuntime } from '../../core/meta/metaRuntime.ts'
import { createSignInService } from '../../core/people/signInService.ts'
import { createSealedSecretStore } from '../../core/secrets/sealedSecretStore.ts'
import { createParleySecrets } from '../../core/secrets/secretStore.ts'
import { loadOrCreateServerKey } from '../../core/secrets/serverKey.ts'
import { createStoreSettings } from '../../core/settings/storeSettings.ts'
import { openPostgresStore, type Store } from '../../core/store/index.ts'
import type { TeamConfig } from './teamConfig.ts'

const packageJson = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }

export interface TeamParley {
  parley: Parley
  store: Store
  cluster: PgCluster
  nodeId: string
}

export async function openTeamParley(config: TeamConfig, options: { env: NodeJS.ProcessEnv; log: Logger; nodeUrl: string; webhooks: WebhookMount }): Promise<TeamParley> {
  const { log, env } = options
  const { created } = loadOrCreateServerKey(config.keyFile)
  if (created) log.info('made a new server key for secrets at rest; keep it safe and give every node the same file', { keyFile: config.keyFile })
  // Migrated at open, serialised across nodes starting at once.
  const store = await openPostgresStore(config.databaseUrl, { log })
  try {
    const nodeId = randomUUID()
    const settings = await createStoreSettings(store.settings)
    const secrets = createParleySecrets(createSealedSecretStore({ repository: store.sealedSecrets, keyFile: config.keyFile }), 'server')
    const meta = await startMetaRuntime(detectMode(settings), liveAppId(settings), { env, secrets })
    const cluster = await openPgCluster({
      connectionString: config.databaseUrl,
      nodeId,
      url: options.nodeUrl,
      nodes: store.nodes,
      log,
      // Anything may have changed while this node could not hear the others.
      onReconnect: () => {
        cluster.signal('catalog.changed', {})
        cluster.signal('settings.changed', {})
      },
    })
    const parley = await createParley({
      version: packageJson.version,
      dataDir: config.dataDir,
      // T2: this node's redacted event log, in the server's data folder.
      eventLog: createEventLog({ dir: eventLogDir(config.dataDir), includeText: () => settings.get(INCLUDE_TEXT_SETTING) === true }),
      settingsFile: settings,
      secrets,
      meta,
      store,
      log,
      cluster,
      team: { signIn: createSignInService({ store, now: Date.now, log }), webhooks: options.webhooks, ...(config.apiRequestsPerMinute ? { apiRequestsPerMinute: config.apiRequestsPerMinute } : {}) },
    })
    return { parley, store, cluster, nodeId }
  } catch (error) {
    await store.close().catch(() => {})
    throw error
  }
}
