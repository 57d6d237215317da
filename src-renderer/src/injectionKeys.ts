import type { InjectionKey } from 'vue'
import type { Connection } from './api/index.ts'
import type { ParleyI18n } from './i18n/index.ts'

export const CONNECTION: InjectionKey<Connection> = Symbol('connection')
export const I18N: InjectionKey<ParleyI18n> = Symbol('i18n')
