import type { MetaAppView, WebhookView } from '../contract/integrations.ts'
import { ParleyError } from '../contract/errors.ts'
import type { ParleySecrets } from '../secrets/secretStore.ts'
import type { SettingsFile } from '../settings/settingsFile.ts'
import { saveWebhookSettings } from '../settings/webhookSettings.ts'
import { liveAppId } from '../app/mode.ts'
import type { MetaRuntime } from './metaRuntime.ts'

/** Receiving as the Meta app needs it: started again after a mode or webhook change. */
export interface ReceivingControl {
  restart(): Promise<void>
  /** Null while receiving could not start at all. */
  webhook(): Promise<WebhookView | null>
}

/**
 * The supervisor's own Meta app (live mode): the App ID in the settings file, the App Secret
 * write-only in the keychain. Saving one switches Parley to graph.facebook.com; clearing it
 * returns to the sandbox. Either way receiving starts again for the new mode, and live mode's
 * public webhook address is set here too.
 */
export function createMetaAppService(deps: {
  file: SettingsFile
  secrets: ParleySecrets
  runtime: MetaRuntime
  onModeChange: () => void
  receiving?: ReceivingControl
  env?: NodeJS.ProcessEnv
}) {
  const view = async (): Promise<MetaAppView> => ({
    mode: deps.runtime.mode(),
    appId: liveAppId(deps.file),
    secretStored: (await deps.secrets.metaAppSecret.get()) !== null,
    secretStore: deps.secrets.kind,
  })
  const webhook = async (): Promise<WebhookView> => {
    const current = await deps.receiving?.webhook()
    if (!current) throw new ParleyError('receiving_unavailable', 'Receiving messages did not start; the event log says why.')
    return current
  }
  return {
    get: view,
    async set(input: { appId: string; appSecret: string }): Promise<MetaAppView> {
      await deps.secrets.metaAppSecret.set(input.appSecret)
      await deps.file.set('metaApp', { appId: input.appId })
      await deps.runtime.switchTo('live', input.appId)
      await deps.receiving?.restart()
      deps.onModeChange()
      return view()
    },
    async clear(): Promise<MetaAppView> {
      await deps.secrets.metaAppSecret.delete()
      await deps.file.set('metaApp', {})
      await deps.runtime.switchTo('sandbox', null)
      await deps.receiving?.restart()
      deps.onModeChange()
      return view()
    },
    webhook,
    async setWebhook(input: { publicUrl: string | null; port: number }): Promise<WebhookView> {
      await saveWebhookSettings(deps.file, deps.env ?? process.env, input)
      // In sandbox mode the setting waits for live mode; in live mode it applies now.
      if (deps.runtime.mode() === 'live') await deps.receiving?.restart()
      return webhook()
    },
  }
}
export type MetaAppService = ReturnType<typeof createMetaAppService>
