// The only IPC channels Parley uses; the preload speaks nothing else.
export const INVOKE_CHANNEL = 'parley:invoke'
export const EVENT_CHANNEL = 'parley:event'
