// English is the default; product.md fixes several of these labels (S1, A11): keep them exactly.
export const en = {
  app: {
    name: 'Parley',
    skipToContent: 'Skip to content',
    mainNavigation: 'Main',
  },
  nav: {
    inbox: 'Inbox',
    admin: 'Admin',
  },
  preferences: {
    language: 'Language',
    theme: 'Theme',
    themes: { system: 'System', light: 'Light', dark: 'Dark' },
    saveFailed: 'Your preference could not be saved: {reason}',
  },
  languages: { en: 'English', de: 'Deutsch' },
  inbox: {
    title: 'Inbox',
    empty: 'No conversations yet.',
    emptyHint: 'Conversations routed to you appear here once an Instagram integration is connected.',
  },
  admin: {
    title: 'Admin',
    sections: 'Admin sections',
    message: 'Message',
    platforms: 'Platforms',
    chooseSection: 'Choose a section.',
  },
  platforms: {
    title: 'Platforms',
    listLabel: 'Integrations',
    empty: 'No integrations yet.',
    emptyHint: 'Connected Instagram accounts are listed here with their status.',
  },
  status: {
    label: 'Status',
    mode: 'Mode',
    modes: { sandbox: 'Sandbox', live: 'Live' },
    connection: 'Connection',
    connections: {
      connecting: 'Connecting…',
      connected: 'Connected',
      reconnecting: 'Reconnecting…',
      stopped: 'Parley has stopped',
    },
    version: 'Version {version}',
  },
  errors: {
    startFailed: 'Parley could not load: {reason}',
  },
}

export type Messages = typeof en
