import type { MetaAppView } from '../contract/integrations.ts'
import type { ParleySecrets } from '../secrets/secretStore.ts'
import type { SettingsFile } from '../settings/settingsFile.ts'
import { liveAppId } from '../app/mode.ts'
import type { MetaRuntime } from './metaRuntime.ts'

/**
 * The supervisor's own Meta app (live mode): the App ID in the settings file, the App Secret
 * write-only in the keychain. Saving one switches Parley to graph.facebook.com; clearing it
 * returns to the sandbox.
 */
export function createMetaAppService(deps: { file: SettingsFile; secrets: ParleySecrets; runtime: MetaRuntime; onModeChange: () => void }) {
  const view = async (): Promise<MetaAppView> => ({
    mode: deps.runtime.mode(),
    appId: liveAppId(deps.file),
    secretStored: (await deps.secrets.metaAppSecret.get()) !== null,
    secretStore: deps.secrets.kind,
  })
  return {
    get: view,
    async set(input: { appId: string; appSecret: string }): Promise<MetaAppView> {
      await deps.secrets.metaAppSecret.set(input.appSecret)
      deps.file.set('metaApp', { appId: input.appId })
      await deps.runtime.switchTo('live', input.appId)
      deps.onModeChange()
      return view()
    },
    async clear(): Promise<MetaAppView> {
      await deps.secrets.metaAppSecret.delete()
      deps.file.set('metaApp', {})
      await deps.runtime.switchTo('sandbox', null)
      deps.onModeChange()
      return view()
    },
  }
}
export type MetaAppService = ReturnType<typeof createMetaAppService>
