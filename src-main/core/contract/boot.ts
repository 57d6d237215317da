// What a window asks for before it can show anything. A host that serves the window's page (the
// browser host) answers these in the page itself, so the inbox paints without first waiting for a
// connection and its round trips; the window takes each answer once, while it is still connecting.
import type { CommandName } from './commands.ts'
import type { Dispatcher } from './dispatcher.ts'
import type { Reply } from './errors.ts'

/**
 * Conversations per `inbox.list` page: a few screenfuls of rows, so the next page arrives long
 * before the end is reached, while the window's page that carries the first one stays small.
 */
export const INBOX_PAGE_SIZE = 50

export interface BootRequest {
  name: CommandName
  input?: unknown
}

export interface BootAnswer extends BootRequest {
  reply: Reply<unknown>
}

/** In the order the window asks: its language and theme, what Parley is, who is signed in, the inbox's first page. */
export const BOOT_REQUESTS: readonly BootRequest[] = [
  { name: 'settings.get' },
  { name: 'app.info' },
  { name: 'session.get' },
  { name: 'metaApp.get' },
  { name: 'app.clock' },
  { name: 'inbox.list', input: { limit: INBOX_PAGE_SIZE } },
]

/** The same answers the window would get over its connection (validated and stripped alike). */
export function answerBoot(dispatcher: Dispatcher, requests: readonly BootRequest[] = BOOT_REQUESTS): Promise<BootAnswer[]> {
  return Promise.all(requests.map(async (request) => ({ ...request, reply: await dispatcher.invoke(request.name, request.input) })))
}

/** Whether a request is the one an answer was made for (inputs are small plain objects). */
export function answers(answer: BootRequest, name: string, input: unknown): boolean {
  return answer.name === name && JSON.stringify(answer.input ?? null) === JSON.stringify(input ?? null)
}

/** Where the page carries the answers: a JSON script element, which no browser executes. */
export const BOOT_ELEMENT_ID = 'parley-boot'

/** The answers as the contents of that element: `<` escaped, so nothing in them can end it. */
export function bootScript(answers: BootAnswer[]): string {
  const json = JSON.stringify(answers).replace(/</g, '\\u003c')
  return `<script type="application/json" id="${BOOT_ELEMENT_ID}">${json}</script>`
}
