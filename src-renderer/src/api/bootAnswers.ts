import { answers, BOOT_ELEMENT_ID, type BootAnswer } from '../../../src-main/core/contract/boot.ts'
import type { WebSocketBridge } from './websocketBridge.ts'

/** The answers the browser host put in the page (none in the desktop app, or if they cannot be read). */
export function readBootAnswers(doc: Document | undefined): BootAnswer[] {
  const text = doc?.getElementById(BOOT_ELEMENT_ID)?.textContent
  if (!text) return []
  try {
    const parsed: unknown = JSON.parse(text)
    return Array.isArray(parsed) ? (parsed as BootAnswer[]) : []
  } catch {
    return []
  }
}

/**
 * The bridge, answering each request the page already holds an answer for once, without a round
 * trip. Only until the connection is up: from then on every answer is live.
 */
export function withBootAnswers(bridge: WebSocketBridge, boot: BootAnswer[]): WebSocketBridge {
  let pending = boot
  if (!pending.length) return bridge
  bridge.onConnection((state) => {
    if (state === 'connected') pending = []
  })
  return {
    ...bridge,
    invoke(name, input) {
      const index = pending.findIndex((answer) => answers(answer, name, input))
      if (index < 0) return bridge.invoke(name, input)
      const [answer] = pending.splice(index, 1)
      return Promise.resolve(answer!.reply)
    },
  }
}
