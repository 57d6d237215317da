import type { PrerequisiteCheck } from '../contract/integrations.ts'
import type { PageFacts } from './pageChoices.ts'
import { REQUIRED_SCOPES } from './requirements.ts'

/**
 * S2, in the order they must be met: (1) the Page is published, (2) the Instagram account is
 * professional, (3) it is linked to the Page, (4) the login granted what messaging needs.
 * A check that depends on an unmet one is "not checked" rather than guessed.
 */
export function checkPrerequisites(page: PageFacts, grantedScopes: ReadonlySet<string>): PrerequisiteCheck[] {
  const published: PrerequisiteCheck =
    page.published === false ? failed('page_published', 'publish_page') : passed('page_published')
  // Meta shows no account at all when it is personal or not linked, so the two cannot be told
  // apart: "link it (as a professional account)" is the one next step. An account linked while
  // personal whose switch was not confirmed in the Page is the exception Meta does reveal.
  const professional: PrerequisiteCheck = page.instagram
    ? passed('ig_professional')
    : page.switchNotConfirmed
      ? failed('ig_professional', 'confirm_professional_switch')
      : { id: 'ig_professional', status: 'not_checked', fix: null, missing: [] }
  const linked: PrerequisiteCheck =
    page.instagram || page.switchNotConfirmed ? passed('ig_linked') : failed('ig_linked', 'link_instagram')
  const missing = REQUIRED_SCOPES.filter((scope) => !grantedScopes.has(scope))
  const permissions: PrerequisiteCheck = missing.length
    ? { id: 'permissions', status: 'failed', fix: 'grant_permissions', missing }
    : passed('permissions')
  return [published, professional, linked, permissions]
}

export function allPassed(checks: readonly PrerequisiteCheck[]): boolean {
  return checks.every((check) => check.status === 'passed')
}

function passed(id: PrerequisiteCheck['id']): PrerequisiteCheck {
  return { id, status: 'passed', fix: null, missing: [] }
}

function failed(id: PrerequisiteCheck['id'], fix: string): PrerequisiteCheck {
  return { id, status: 'failed', fix, missing: [] }
}
