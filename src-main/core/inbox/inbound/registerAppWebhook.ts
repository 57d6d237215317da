// The app-level webhook subscription (`POST /{app-id}/subscriptions`, object `instagram`): what the
// App Dashboard does in live mode, and what sandbox mode does itself. Meta (and the sandbox) call
// the callback with hub.challenge before answering, so the receiver must already be listening.
import type { GraphClient } from '../../graph/index.ts'

/** The Instagram webhook fields the inbox consumes (messages carry echoes and unsends too). */
export const INSTAGRAM_WEBHOOK_FIELDS = ['messages', 'messaging_seen', 'message_reactions'] as const

export async function registerAppWebhook(
  graph: Pick<GraphClient, 'subscribeAppWebhooks'>,
  options: { callbackUrl: string; verifyToken: string },
): Promise<void> {
  await graph.subscribeAppWebhooks({ callbackUrl: options.callbackUrl, verifyToken: options.verifyToken, fields: [...INSTAGRAM_WEBHOOK_FIELDS] })
}
