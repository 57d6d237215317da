import type { PageChoice } from '../contract/integrations.ts'

/** A Facebook Page as Parley sees it after login (from /me/accounts and the page's own fields). */
export interface PageFacts {
  id: string
  name: string
  published: boolean | null
  /** The linked professional account, when Meta shows one. */
  instagram: { id: string; username: string } | null
  /** Linked, but the switch from a personal account is not confirmed in the Page settings. */
  switchNotConfirmed: boolean
}

export interface IntegratedPage {
  integrationId: string
  pageId: string
  integrationName: string
}

/**
 * S4 and S6: every page the person manages is offered; one without a linked professional account,
 * or already used by an integration, is shown but cannot be chosen — with the reason.
 */
export function pageChoices(pages: readonly PageFacts[], integrated: readonly IntegratedPage[]): PageChoice[] {
  return pages.map((page) => {
    const usedBy = integrated.find((i) => i.pageId === page.id)
    const unavailable = usedBy
      ? 'already_integrated'
      : page.switchNotConfirmed
        ? 'switch_not_confirmed'
        : page.instagram
          ? null
          : 'no_linked_account'
    return {
      id: page.id,
      name: page.name,
      instagram: page.instagram,
      selectable: unavailable === null,
      unavailable,
      integrationName: usedBy?.integrationName ?? null,
    }
  })
}

/**
 * S5: a further login must keep every page already integrated selected. Returns the integrated
 * pages this login would drop (empty when it keeps them all).
 */
export function droppedPages(grantedPageIds: ReadonlySet<string>, integrated: readonly IntegratedPage[]): IntegratedPage[] {
  return integrated.filter((i) => !grantedPageIds.has(i.pageId))
}
