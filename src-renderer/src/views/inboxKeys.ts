import type { InjectionKey, Ref } from 'vue'

/** Set when a conversation was opened from the keyboard: the thread then takes focus once loaded. */
export const THREAD_FOCUS: InjectionKey<Ref<boolean>> = Symbol('threadFocus')
