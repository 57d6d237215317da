import type { EventType } from '../../contract/api.ts'

/** I2: an event's id, the same on every attempt (receivers drop repeats by it): `evt_<step>_<type>`. */
export const eventIdOf = (routingEventId: number, type: EventType) => `evt_${routingEventId}_${type.slice('conversation.'.length)}`
