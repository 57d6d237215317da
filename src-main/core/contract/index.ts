// The typed API between UI and main. The renderer imports types only from here.
export * from './schemas.ts'
export * from './integrations.ts'
export * from './commands.ts'
export * from './events.ts'
export * from './errors.ts'
export * from './bridge.ts'
export * from './dispatcher.ts'
export * from './eventHub.ts'
