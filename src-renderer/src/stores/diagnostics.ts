import { defineStore } from 'pinia'
import { inject, ref } from 'vue'
import type { BundleView, DiagnosticsReportView, LogEntryView, LogLevel, ReplayResultView } from '../../../src-main/core/contract/index.ts'
import { CONNECTION } from '../injectionKeys.ts'

export interface LogFilterInput {
  level?: LogLevel | undefined
  integrationId?: string | undefined
  since?: string | undefined
  until?: string | undefined
}

/** T1–T4: the checks, the event log, an opened bundle (imported: kept apart) and replay results. */
export const useDiagnosticsStore = defineStore('diagnostics', () => {
  const { api } = inject(CONNECTION)!
  const report = ref<DiagnosticsReportView | null>(null)
  const log = ref<LogEntryView[]>([])
  const includeMessageText = ref(false)
  /** A bundle from elsewhere, shown instead of this Parley's checks and log until closed. */
  const imported = ref<{ name: string; bundle: BundleView } | null>(null)
  const replayResults = ref<ReplayResultView[]>([])

  async function run() {
    report.value = await api.call('diagnostics.run')
  }

  async function loadLog(filter: LogFilterInput = {}) {
    const query = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined && v !== ''))
    log.value = await api.call('diagnostics.log', { ...query, limit: 500 })
  }

  async function loadSettings() {
    includeMessageText.value = (await api.call('diagnostics.settings')).includeMessageText
  }

  async function setIncludeMessageText(on: boolean) {
    includeMessageText.value = (await api.call('diagnostics.setSettings', { includeMessageText: on })).includeMessageText
  }

  async function exportBundle(): Promise<string> {
    return (await api.call('diagnostics.exportBundle')).path
  }

  async function openBundle(name: string, text: string) {
    imported.value = { name, bundle: await api.call('diagnostics.openBundle', { name, text }) }
  }

  function closeBundle() {
    imported.value = null
  }

  async function replay(input: { logTimes?: string[]; files?: { name: string; text: string }[] }) {
    replayResults.value = await api.call('diagnostics.replay', input)
  }

  return { report, log, includeMessageText, imported, replayResults, run, loadLog, loadSettings, setIncludeMessageText, exportBundle, openBundle, closeBundle, replay }
})
