// The Facebook Login dialog's pages: plain server-rendered HTML with the labels Parley and its tests rely on.

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: Helvetica, Arial, sans-serif; background: #f0f2f5; margin: 0; color: #1c1e21; }
  main { max-width: 420px; margin: 48px auto; background: #fff; border-radius: 8px; padding: 24px; box-shadow: 0 2px 4px rgba(0,0,0,.1); }
  h1 { font-size: 20px; margin: 0 0 16px; } .brand { color: #1877f2; font-weight: bold; font-size: 28px; margin-bottom: 8px; }
  label { display: block; margin: 12px 0 4px; font-size: 14px; } input[type=text], input[type=password] { width: 100%; box-sizing: border-box; padding: 12px; font-size: 16px; border: 1px solid #dddfe2; border-radius: 6px; }
  button { padding: 10px 16px; font-size: 16px; border-radius: 6px; border: 0; cursor: pointer; margin-top: 16px; }
  .primary { background: #1877f2; color: #fff; width: 100%; } .secondary { background: #e4e6eb; color: #050505; }
  .error { color: #be4b49; background: #ffebe8; border: 1px solid #dd3c10; padding: 8px; margin: 8px 0; font-size: 14px; }
  fieldset { border: 0; padding: 0; margin: 16px 0; } .page { display: flex; align-items: center; gap: 8px; padding: 8px 0; border-bottom: 1px solid #eee; }
  .page label { margin: 0; } .muted { color: #65676b; font-size: 13px; } .actions { display: flex; flex-direction: row-reverse; gap: 8px; justify-content: flex-start; }
</style></head>
<body><main><div class="brand" aria-hidden="true">facebook</div>${body}</main></body></html>`
}

export function hiddenFields(fields: Record<string, string>): string {
  return Object.entries(fields).map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`).join('')
}

export function loginPage(appName: string, hidden: Record<string, string>, error?: string, email = ''): string {
  return layout('Log in to Facebook', `
<h1>Log in to continue to ${escapeHtml(appName)}</h1>
${error ? `<div class="error" role="alert">${escapeHtml(error)}</div>` : ''}
<form method="post" action="/dialog/oauth/login">
  ${hiddenFields(hidden)}
  <label for="email">Email or phone</label>
  <input id="email" name="email" type="text" autocomplete="username" value="${escapeHtml(email)}" autofocus>
  <label for="pass">Password</label>
  <input id="pass" name="pass" type="password" autocomplete="current-password">
  <button class="primary" type="submit">Log in</button>
</form>`)
}

export interface PageChoice {
  id: string
  name: string
  detail: string
  checked: boolean
}

export function pagesPage(appName: string, userName: string, pages: PageChoice[], scopes: string[], hidden: Record<string, string>): string {
  const rows = pages.length === 0
    ? '<p>You don\'t manage any Pages.</p>'
    : pages.map((page) => `
  <div class="page">
    <input type="checkbox" id="page-${escapeHtml(page.id)}" name="page_ids" value="${escapeHtml(page.id)}"${page.checked ? ' checked' : ''}>
    <label for="page-${escapeHtml(page.id)}">${escapeHtml(page.name)}</label>
    <span class="muted">${escapeHtml(page.detail)}</span>
  </div>`).join('')
  return layout(`${appName} — choose Pages`, `
<h1>Choose the Pages you want ${escapeHtml(appName)} to access</h1>
<p class="muted">Logged in as ${escapeHtml(userName)}. ${escapeHtml(appName)} is requesting: ${escapeHtml(scopes.join(', ') || 'public_profile')}.</p>
<form method="post" action="/dialog/oauth/confirm">
  ${hiddenFields(hidden)}
  <fieldset><legend>Pages</legend>${rows}</fieldset>
  <div class="actions">
    <button class="primary" type="submit" name="action" value="continue" style="width:auto">Continue</button>
    <button class="secondary" type="submit" name="action" value="cancel">Cancel</button>
  </div>
</form>`)
}

export function errorPage(title: string, message: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1><div class="error" role="alert">${escapeHtml(message)}</div>`)
}
