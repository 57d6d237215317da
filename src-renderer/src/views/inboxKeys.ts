import type { InjectionKey, Ref } from 'vue'

/** The inbox's clock (ms), ticking every minute: one timer for the list's and the composer's countdowns. */
export const INBOX_NOW: InjectionKey<Ref<number>> = Symbol('inboxNow')
/** Set when a conversation was opened from the keyboard: the thread then takes focus once loaded. */
export const THREAD_FOCUS: InjectionKey<Ref<boolean>> = Symbol('threadFocus')
