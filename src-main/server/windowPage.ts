// The window's page with the first answers it needs inside (core/contract/boot.ts). The page is
// streamed: everything before </body> at once, so the browser fetches the scripts and the
// stylesheet while main answers; then the answers. Module scripts run only once the page is
// complete, so the window always finds them.
import { bootScript, type BootAnswer } from '../core/contract/boot.ts'

export function windowPage(html: string, boot: () => Promise<BootAnswer[]>): Response {
  const end = html.lastIndexOf('</body>')
  const head = end < 0 ? html : html.slice(0, end)
  const tail = end < 0 ? '' : html.slice(end)
  const encoder = new TextEncoder()
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(head))
      // Without answers the window asks over its connection, as the desktop window always does.
      void boot()
        .catch((): BootAnswer[] => [])
        .then((answers) => {
          controller.enqueue(encoder.encode(`${answers.length ? bootScript(answers) : ''}${tail}`))
          controller.close()
        })
    },
  })
  return new Response(body, { headers: { 'content-type': 'text/html; charset=utf-8' } })
}
