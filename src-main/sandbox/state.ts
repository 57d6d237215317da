// The sandbox's world, in memory: people, pages, Instagram accounts, customers, conversations,
// grants and webhook subscriptions. Built from the seed; POST /__sandbox/reset builds it again.
import { createHash } from 'node:crypto'
import { parseDuration } from './clock.ts'
import { conversationId, messageId } from './ids.ts'
import { placeholderAsset, type MediaStore } from './media.ts'
import type { Seed } from './seed.ts'

export interface App {
  id: string
  secret: string
  name: string
  redirectUris: string[]
}

export interface User {
  id: string
  name: string
  email: string
  password: string
  /** Bumped by a password change: tokens issued under an older version answer 190/460. */
  credentialVersion: number
}

export interface Page {
  id: string
  name: string
  category: string
  published: boolean
  roles: Map<string, string[]>
  instagramId?: string
}

export interface IgAccount {
  id: string
  igId: string
  username: string
  name: string
  biography: string
  website?: string
  followersCount: number
  followsCount: number
  mediaCount: number
  linked: boolean
  professional: boolean
  switchConfirmed: boolean
  color: string
  pageId: string
}

export interface Customer {
  id: string
  name: string
  username: string
  private: boolean
  verified: boolean
  followerCount: number
  color: string
  /** Instagram account ids this customer follows. */
  follows: Set<string>
  /** Instagram account ids that follow this customer. */
  followedBy: Set<string>
}

export interface Attachment {
  type: string
  url?: string
}

export interface Reaction {
  by: 'customer' | 'business'
  reaction: string
  emoji: string
}

export interface Message {
  mid: string
  conversationId: string
  direction: 'inbound' | 'outbound'
  createdAt: number
  text?: string
  attachments: Attachment[]
  replyTo?: { mid: string } | { story: { id: string; url: string } }
  story?: { id: string; url: string; expiresAt: number }
  deleted: boolean
  reactions: Reaction[]
  seenAt?: number
  origin: 'seed' | 'customer' | 'send-api' | 'instagram-app'
}

export interface Conversation {
  id: string
  igId: string
  customerId: string
  /** Oldest first. */
  messages: Message[]
}

export interface Grant {
  userId: string
  /** Bumped when the person removes the app: older tokens answer 190/458. */
  version: number
  active: boolean
  scopes: Set<string>
  pageIds: string[]
}

export interface AppSubscription {
  object: string
  callbackUrl: string
  verifyToken: string
  fields: string[]
}

export interface SentRecord {
  at: string
  path: string
  pageId?: string
  instagramId?: string
  recipient?: unknown
  messaging_type?: string
  tag?: string
  message?: unknown
  sender_action?: string
  outcome: 'accepted' | 'refused'
  message_id?: string
  error?: { code: number; error_subcode?: number; message: string }
}

/** IGSIDs are scoped per Instagram professional account; derived stably so ids survive a reset. */
export function scopedId(customerId: string, igAccountId: string): string {
  const digest = createHash('sha256').update(`igsid:${customerId}:${igAccountId}`).digest()
  return '6' + (digest.readBigUInt64BE(0) % 10n ** 15n).toString().padStart(15, '0')
}

export class SandboxState {
  readonly app: App
  readonly users = new Map<string, User>()
  readonly pages = new Map<string, Page>()
  readonly igAccounts = new Map<string, IgAccount>()
  readonly customers = new Map<string, Customer>()
  readonly conversations = new Map<string, Conversation>()
  readonly messages = new Map<string, Message>()
  readonly grants = new Map<string, Grant>()
  appSubscription: AppSubscription | undefined
  /** pageId → subscribed fields of our app on that page (subscribed_apps). */
  readonly pageSubscriptions = new Map<string, string[]>()
  readonly sent: SentRecord[] = []

  constructor(seed: Seed, startMs: number, media: MediaStore) {
    this.app = { ...seed.app }
    for (const user of seed.users) this.users.set(user.id, { ...user, credentialVersion: 0 })
    for (const page of seed.pages) {
      this.pages.set(page.id, {
        id: page.id, name: page.name, category: page.category, published: page.published,
        roles: new Map(page.roles.map((role) => [role.userId, role.tasks])), instagramId: page.instagram?.id,
      })
      if (page.instagram) this.igAccounts.set(page.instagram.id, { ...page.instagram, pageId: page.id })
    }
    for (const customer of seed.customers) {
      this.customers.set(customer.id, { ...customer, follows: new Set(customer.follows), followedBy: new Set(customer.followedBy) })
    }
    for (const thread of seed.history) {
      const conversation = this.conversationFor(thread.instagram, thread.customer)
      for (const entry of thread.messages) {
        const createdAt = startMs - parseDuration(entry.ago)
        const attachments: Attachment[] = []
        if (entry.attachment) {
          const customer = this.customers.get(thread.customer)
          attachments.push({ type: entry.attachment, url: media.add(placeholderAsset(entry.attachment, customer?.color ?? '#888888')) })
        }
        this.addMessage(conversation, {
          direction: entry.from === 'customer' ? 'inbound' : 'outbound', createdAt, text: entry.text, attachments, origin: 'seed',
        })
      }
    }
  }

  igsid(customerId: string, igAccountId: string): string {
    return scopedId(customerId, igAccountId)
  }

  /** Resolves an IGSID to the person and the business it is scoped to. */
  scopedUser(igsid: string): { customer: Customer; account: IgAccount } | undefined {
    for (const account of this.igAccounts.values()) {
      for (const customer of this.customers.values()) {
        if (scopedId(customer.id, account.id) === igsid) return { customer, account }
      }
    }
    return undefined
  }

  /** A customer by seed id, username (with or without @), or an IGSID. */
  findCustomer(ref: string): Customer | undefined {
    const name = ref.replace(/^@/, '')
    for (const customer of this.customers.values()) if (customer.id === ref || customer.username === name) return customer
    return this.scopedUser(ref)?.customer
  }

  /** An Instagram account by its id, its page's id, or its username. */
  findIgAccount(ref: string): IgAccount | undefined {
    const name = ref.replace(/^@/, '')
    const byPage = this.pages.get(ref)?.instagramId
    if (byPage) return this.igAccounts.get(byPage)
    for (const account of this.igAccounts.values()) if (account.id === ref || account.username === name) return account
    return undefined
  }

  /** The Instagram account a Graph client can reach through the page: linked, professional and confirmed. */
  businessAccountOf(page: Page): IgAccount | undefined {
    const account = page.instagramId ? this.igAccounts.get(page.instagramId) : undefined
    return account && account.linked && account.professional && account.switchConfirmed ? account : undefined
  }

  conversationFor(igId: string, customerId: string): Conversation {
    for (const conversation of this.conversations.values()) {
      if (conversation.igId === igId && conversation.customerId === customerId) return conversation
    }
    const conversation: Conversation = { id: conversationId(), igId, customerId, messages: [] }
    this.conversations.set(conversation.id, conversation)
    return conversation
  }

  findConversation(igId: string, customerId: string): Conversation | undefined {
    for (const conversation of this.conversations.values()) {
      if (conversation.igId === igId && conversation.customerId === customerId) return conversation
    }
    return undefined
  }

  addMessage(conversation: Conversation, fields: Omit<Message, 'mid' | 'conversationId' | 'deleted' | 'reactions'>): Message {
    const message: Message = { ...fields, mid: messageId(), conversationId: conversation.id, deleted: false, reactions: [] }
    conversation.messages.push(message)
    conversation.messages.sort((a, b) => a.createdAt - b.createdAt)
    this.messages.set(message.mid, message)
    return message
  }

  /** Windows count from the customer's last message (unsent ones included: they were received). */
  lastInboundAt(conversation: Conversation): number | undefined {
    let last: number | undefined
    for (const message of conversation.messages) if (message.direction === 'inbound') last = message.createdAt
    return last
  }

  updatedTime(conversation: Conversation): number {
    return conversation.messages.at(-1)?.createdAt ?? 0
  }

  /** The page that owns a conversation (through its Instagram account). */
  pageOf(igId: string): Page | undefined {
    const account = this.igAccounts.get(igId)
    return account ? this.pages.get(account.pageId) : undefined
  }
}
