/** What Instagram messaging through a Page needs (meta-platform.md §2). */
export const REQUIRED_SCOPES = [
  'pages_show_list',
  'pages_manage_metadata',
  'pages_read_engagement',
  'instagram_basic',
  'instagram_manage_messages',
] as const

/** Webhook fields Parley subscribes the page to. */
export const PAGE_WEBHOOK_FIELDS = ['messages', 'messaging_seen', 'message_reactions'] as const
