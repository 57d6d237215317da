/**
 * How a host lets the person pick a file to attach. The desktop host shows the system's open
 * dialog in main, so the window never names a path main would read; the browser host has none
 * (the window uploads the file it picked instead).
 */
export interface AttachmentChooser {
  /** The path the person chose, or null when they cancelled. */
  choose(): Promise<string | null>
}
