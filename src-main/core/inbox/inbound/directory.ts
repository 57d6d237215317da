// What ingest and the poller need to know about integrations, without depending on how they are
// kept (settings file, keychain). The lead wires it to the integration store and the secrets.

/** The integration an Instagram professional account belongs to, with its S9 switches. */
export interface IntegrationTarget {
  integrationId: string
  /** The Facebook Page the account is linked to: the Conversations API is read through it. */
  pageId: string
  storyMentions: boolean
  storyReplies: boolean
}

export interface IntegrationDirectory {
  /** `entry[].id` of a webhook is the Instagram account id (not the Page's). Null when no integration uses it. */
  byInstagramAccount(igId: string): IntegrationTarget | null
  /**
   * Reads the integrations again. Another node may have just connected the account whose first
   * events arrive here before that node's announcement does; those are looked up once more.
   */
  refresh?(): Promise<void>
  /** The page token from the keychain; null when missing (the integration needs recreating). */
  pageToken(integrationId: string): Promise<string | null>
}
