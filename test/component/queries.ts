import type { DOMWrapper, VueWrapper } from '@vue/test-utils'

type Root = VueWrapper | DOMWrapper<Element>

/** Roughly a button's accessible name: aria-label, else its text without aria-hidden decoration. */
export function nameOf(element: Element): string {
  const label = element.getAttribute('aria-label')
  if (label) return label
  const copy = element.cloneNode(true) as Element
  copy.querySelectorAll('[aria-hidden="true"]').forEach((hidden) => hidden.remove())
  return (copy.textContent ?? '').replace(/\s+/g, ' ').trim()
}

/** The buttons named exactly `name`, as a person (or Playwright's getByRole) finds them. */
export function buttons(root: Root, name: string) {
  return root.findAll('button').filter((button) => nameOf(button.element) === name && button.isVisible())
}

export function button(root: Root, name: string) {
  const found = buttons(root, name)
  if (found.length !== 1) throw new Error(`expected one button "${name}", found ${found.length}: ${root.findAll('button').map((b) => nameOf(b.element)).join(' | ')}`)
  return found[0]!
}

/** The form control whose <label> reads `label` (by its for= id, or wrapped inside it). */
export function field<E extends Element = HTMLInputElement>(root: Root, label: string) {
  const matches = root.findAll('label').filter((l) => l.text().trim() === label)
  if (matches.length !== 1) throw new Error(`expected one label "${label}", found ${matches.length}`)
  const element = matches[0]!
  const target = element.attributes('for')
  return (target ? root.find(`[id="${target}"]`) : element.find('input, select, textarea')) as DOMWrapper<E>
}

/** The text of every element with the role, trimmed. */
export function texts(root: Root, selector: string) {
  return root.findAll(selector).map((e) => e.text().trim())
}
