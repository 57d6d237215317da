import type { Messages } from './en.ts'

// Typed against the English messages: a missing German string fails the type check.
export const de: Messages = {
  app: {
    name: 'Parley',
    skipToContent: 'Zum Inhalt springen',
    mainNavigation: 'Hauptnavigation',
  },
  nav: {
    inbox: 'Posteingang',
    admin: 'Admin',
  },
  preferences: {
    language: 'Sprache',
    theme: 'Darstellung',
    themes: { system: 'System', light: 'Hell', dark: 'Dunkel' },
    saveFailed: 'Ihre Einstellung konnte nicht gespeichert werden: {reason}',
  },
  languages: { en: 'English', de: 'Deutsch' },
  inbox: {
    title: 'Posteingang',
    empty: 'Noch keine Unterhaltungen.',
    emptyHint: 'Unterhaltungen, die Ihnen zugewiesen werden, erscheinen hier, sobald eine Instagram-Integration verbunden ist.',
  },
  admin: {
    title: 'Admin',
    sections: 'Admin-Bereiche',
    message: 'Nachricht',
    platforms: 'Plattformen',
    chooseSection: 'Wählen Sie einen Bereich.',
  },
  platforms: {
    title: 'Plattformen',
    listLabel: 'Integrationen',
    empty: 'Noch keine Integrationen.',
    emptyHint: 'Verbundene Instagram-Konten werden hier mit ihrem Status aufgeführt.',
  },
  status: {
    label: 'Status',
    mode: 'Modus',
    modes: { sandbox: 'Sandbox', live: 'Live' },
    connection: 'Verbindung',
    connections: {
      connecting: 'Verbinde …',
      connected: 'Verbunden',
      reconnecting: 'Verbindung wird wiederhergestellt …',
      stopped: 'Parley wurde beendet',
    },
    version: 'Version {version}',
  },
  errors: {
    startFailed: 'Parley konnte nicht geladen werden: {reason}',
  },
}
