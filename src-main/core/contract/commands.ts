import { z } from 'zod'
import {
  ContentProfileDraft,
  ContentProfileView,
  Integration,
  IntegrationName,
  LoginPurpose,
  LoginStarted,
  MetaAppInput,
  MetaAppView,
  WebhookInput,
  WebhookView,
  SaveResult,
} from './integrations.ts'
import { ConnectionView, DesktopSignInInput, NewPersonInput, Password, PersonUpdate, PersonView, SessionView } from './people.ts'
import { ConversationView, InboxPage, InboxScope, NotificationRequest, OutboxView, PickedAttachment, ReplyInput, StoryOpened, ThreadView } from './inbox.ts'
import { ApiKeyCreated, ApiKeyInput, ApiKeyView, DeliveryView, SubscriptionCreated, SubscriptionInput, SubscriptionView } from './api.ts'
import { AlertView, CHOOSABLE_PRESENCES, EndInput, PresenceView, QueueActivityView, QueueInput, QueueUpdate, QueueView, RoutingRules, RoutingSettings, TransferInput, TransferTargets } from './routing.ts'
import { ClockAdvance, SandboxAction, SandboxActionResult, SandboxPanelState } from './sandboxPanel.ts'
import { BundleView, DiagnosticsReportView, DiagnosticsSettings, LogEntryView, LogQuery, ReplayInput, ReplayResultView } from './diagnostics.ts'
import { AppInfo, MetaClock, NoInput, Preferences, PreferencesPatch } from './schemas.ts'

const Id = z.string().min(1).max(200)
const Done = z.object({ ok: z.literal(true) })

// Every request the UI can make of main: its input schema (validated in main) and its output schema.
export const commands = {
  'app.info': { input: NoInput, output: AppInfo },
  /** A3: Meta's time now, which windows count reply windows on (`clock.changed` says when it jumps). */
  'app.clock': { input: NoInput, output: MetaClock },
  'settings.get': { input: NoInput, output: Preferences },
  'settings.set': { input: PreferencesPatch, output: Preferences },

  'session.get': { input: NoInput, output: SessionView },
  /** P3: ends this window's session on the team server (every node forgets it at once). */
  'session.signOut': { input: NoInput, output: Done },

  /** Where this window's Parley works; the desktop app also says whether it is signed in. */
  'connection.get': { input: NoInput, output: ConnectionView },
  /** Desktop app: sign in to a Parley server (Team server); the session goes to the keychain. */
  'connection.signIn': { input: DesktopSignInInput, output: ConnectionView },
  /** Desktop app: This computer only — the embedded Parley, as before any server. */
  'connection.useThisComputer': { input: NoInput, output: ConnectionView },

  /** P2 (team server, supervisors): the people who sign in. */
  'people.list': { input: NoInput, output: z.array(PersonView) },
  'people.add': { input: NewPersonInput, output: PersonView },
  'people.update': { input: PersonUpdate, output: PersonView },
  /** Sets a new password and ends the person's sessions. */
  'people.resetPassword': { input: z.object({ id: Id, password: Password }).strict(), output: Done },
  /** Ends the person's sessions at once, on every node; they can no longer sign in. */
  'people.deactivate': { input: z.object({ id: Id }).strict(), output: PersonView },
  'people.reactivate': { input: z.object({ id: Id }).strict(), output: PersonView },

  'metaApp.get': { input: NoInput, output: MetaAppView },
  'metaApp.set': { input: MetaAppInput, output: MetaAppView },
  'metaApp.clear': { input: NoInput, output: MetaAppView },
  /** Live mode's webhook: the public address, the local port, and how messages arrive now. */
  'metaApp.webhook': { input: NoInput, output: WebhookView },
  'metaApp.setWebhook': { input: WebhookInput, output: WebhookView },

  'login.start': { input: z.object({ purpose: LoginPurpose, integrationId: Id.optional() }).strict(), output: LoginStarted },
  /** S10: ends the login window's Facebook session (Cancel, Save, Delete, leaving the page). */
  'login.end': { input: z.object({ loginId: Id }).strict(), output: Done },
  /**
   * P4: the desktop app's login window came back from Facebook (team mode): its main process hands
   * the redirect — token and state — straight to the server, which keeps the token. Null `url`: closed.
   */
  'login.complete': { input: z.object({ loginId: Id, url: z.string().max(8192).nullable() }).strict(), output: Done },

  'integrations.list': { input: NoInput, output: z.array(Integration) },
  'integrations.checkHealth': { input: NoInput, output: z.array(Integration) },
  'integrations.create': { input: z.object({ loginId: Id, pageId: Id, name: IntegrationName }).strict(), output: SaveResult },
  'integrations.update': {
    input: z
      .object({
        id: Id,
        name: IntegrationName.optional(),
        contentProfileId: Id.optional(),
        storyMentions: z.boolean().optional(),
        storyReplies: z.boolean().optional(),
      })
      .strict(),
    output: Integration,
  },
  'integrations.delete': { input: z.object({ id: Id }).strict(), output: Done },
  /** S11: the same integration (name, profiles, routing) on the tokens of a new login. */
  'integrations.recreate': { input: z.object({ id: Id, loginId: Id }).strict(), output: SaveResult },

  'contentProfiles.list': { input: NoInput, output: z.array(ContentProfileView) },
  'contentProfiles.save': { input: ContentProfileDraft, output: ContentProfileView },
  'contentProfiles.delete': { input: z.object({ id: Id }).strict(), output: Done },

  /**
   * A1: conversations, newest activity first, a page at a time. An agent sees those assigned to
   * them (`mine`); a supervisor may also see every one (`all`, their default) or those waiting
   * unassigned (P5).
   */
  'inbox.list': {
    input: z.object({ after: z.string().max(500).optional(), limit: z.number().int().min(1).max(200), view: InboxScope.optional() }).strict(),
    output: InboxPage,
  },
  /** The rows of conversations `inbox.changed` named (those assigned to the agent), and the new total. */
  'inbox.conversations': {
    input: z.object({ ids: z.array(Id).min(1).max(200), view: InboxScope.optional() }).strict(),
    output: z.object({ items: z.array(ConversationView), total: z.number().int() }),
  },
  'inbox.thread': {
    input: z.object({ conversationId: Id, before: z.string().max(500).optional(), limit: z.number().int().min(1).max(200) }).strict(),
    output: ThreadView,
  },
  'inbox.markRead': { input: z.object({ conversationId: Id }).strict(), output: Done },
  /** P5 (supervisors): Assign to… a person, or back to waiting in its queue (null). */
  'inbox.assign': { input: z.object({ conversationId: Id, personId: Id.nullable() }).strict(), output: ConversationView },
  /** R5: blind, to a queue or to a person on queue with room. */
  'inbox.transfer': { input: TransferInput, output: Done },
  /** R5: End conversation, with a wrap-up code of its queue (required where the queue says Mandatory). */
  'inbox.end': { input: EndInput, output: ConversationView },
  /** A3, A4, A9, A10: checked again in main; waits in the outbox while Graph is unreachable. */
  'inbox.send': { input: ReplyInput, output: OutboxView },
  'inbox.retry': { input: z.object({ id: Id }).strict(), output: OutboxView },
  /** A failed reply the agent gives up on; its text comes back into the composer in the window. */
  'inbox.discard': { input: z.object({ id: Id }).strict(), output: Done },
  /** A4, desktop: main shows the system's open dialog and stages the chosen file. The browser uploads to POST /attachments instead. */
  'inbox.pickAttachment': { input: z.object({ conversationId: Id }).strict(), output: PickedAttachment },
  /** A4: the agent removed a staged file before sending it; main deletes it. */
  'inbox.discardAttachment': { input: z.object({ id: Id }).strict(), output: Done },
  /** A5: opens the protected story viewer (desktop only). */
  'inbox.openStory': { input: z.object({ mid: Id }).strict(), output: StoryOpened },
  /** Item 10: a system notification for a new customer message, worded by the window; false where the host has none (browser). */
  'notifications.show': { input: NotificationRequest, output: z.object({ shown: z.boolean() }) },

  /** R2: this person's presence and Auto-answer. `not_responding` is Parley's to set. */
  'presence.get': { input: NoInput, output: PresenceView },
  'presence.set': { input: z.object({ presence: z.enum(CHOOSABLE_PRESENCES) }).strict(), output: PresenceView },
  'presence.setAutoAnswer': { input: z.object({ on: z.boolean() }).strict(), output: PresenceView },
  /** R3: the conversations offered to this person now; Accept gives them the conversation. */
  'routing.alerts': { input: NoInput, output: z.array(AlertView) },
  'routing.accept': { input: z.object({ conversationId: Id }).strict(), output: ConversationView },
  'routing.decline': { input: z.object({ conversationId: Id }).strict(), output: Done },
  /** R5: the queues and people a conversation can go to. */
  'routing.transferTargets': { input: NoInput, output: TransferTargets },
  /** R6 (supervisors). */
  'routing.activity': { input: NoInput, output: QueueActivityView },
  /** R1 (supervisors): each integration's rules and Default queue; R4: the threading window. */
  'routing.rules': { input: z.object({ integrationId: Id }).strict(), output: RoutingRules },
  'routing.setRules': { input: RoutingRules, output: RoutingRules },
  'routing.settings': { input: NoInput, output: RoutingSettings },
  'routing.setSettings': { input: RoutingSettings, output: RoutingSettings },
  /** R1 (supervisors). */
  'queues.list': { input: NoInput, output: z.array(QueueView) },
  'queues.create': { input: QueueInput, output: QueueView },
  'queues.update': { input: QueueUpdate, output: QueueView },
  'queues.delete': { input: z.object({ id: Id }).strict(), output: Done },

  /** I1 (supervisors, team server): keys for /api/v1. The key is in `apiKeys.create`'s answer only. */
  'apiKeys.list': { input: NoInput, output: z.array(ApiKeyView) },
  'apiKeys.create': { input: ApiKeyInput, output: ApiKeyCreated },
  'apiKeys.revoke': { input: z.object({ id: Id }).strict(), output: ApiKeyView },
  /** I2 (supervisors, team server): signed outbound events. The secret is in `subscriptions.create`'s answer only. */
  'subscriptions.list': { input: NoInput, output: z.array(SubscriptionView) },
  'subscriptions.create': { input: SubscriptionInput, output: SubscriptionCreated },
  'subscriptions.setEnabled': { input: z.object({ id: Id, enabled: z.boolean() }).strict(), output: SubscriptionView },
  'subscriptions.delete': { input: z.object({ id: Id }).strict(), output: Done },
  'subscriptions.deliveries': { input: z.object({ id: Id }).strict(), output: z.array(DeliveryView) },
  /** T1 (supervisors): every check, run now. */
  'diagnostics.run': { input: NoInput, output: DiagnosticsReportView },
  /** T2: the event log, newest first, filtered. */
  'diagnostics.log': { input: LogQuery, output: z.array(LogEntryView) },
  'diagnostics.settings': { input: NoInput, output: DiagnosticsSettings },
  /** T2: Include message text in the event log (off by default). */
  'diagnostics.setSettings': { input: DiagnosticsSettings.strict(), output: DiagnosticsSettings },
  /** T3: Export bundle — one file; the answer says where. */
  'diagnostics.exportBundle': { input: NoInput, output: z.object({ path: z.string() }) },
  /** T3: Open bundle — a file the person chose, read by the window; nothing of it is stored. */
  'diagnostics.openBundle': { input: z.object({ name: z.string().max(500), text: z.string().max(64 * 1024 * 1024) }).strict(), output: BundleView },
  /** T4: replays payloads from the event log or files into the sandbox. */
  'diagnostics.replay': { input: ReplayInput, output: z.array(ReplayResultView) },

  'sandbox.state': { input: NoInput, output: SandboxPanelState },
  'sandbox.act': { input: SandboxAction, output: SandboxActionResult },
  'sandbox.clock': { input: ClockAdvance, output: z.object({ now: z.string() }) },
} as const

export type Commands = typeof commands
export type CommandName = keyof Commands
export type CommandInput<N extends CommandName> = z.input<Commands[N]['input']>
export type CommandOutput<N extends CommandName> = z.output<Commands[N]['output']>

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(commands, name)
}
