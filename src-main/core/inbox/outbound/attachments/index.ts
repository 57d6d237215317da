// A4: files agents attach to replies — staged on disk, checked on their real bytes, served to Meta
// while their reply goes out. Start at `createAttachmentService` (attachmentService.ts).
export {
  createAttachmentService, MAX_ATTACHMENT_BYTES, NO_PUBLIC_ADDRESS,
  type AttachmentService, type AttachmentServiceDeps, type StagedFiles, type UploadResult,
} from './attachmentService.ts'
export type { AttachmentChooser } from './chooser.ts'
export { stagedIdOf, stagedRef } from './stagedRef.ts'
export { OUTGOING_PATH } from './serveRoute.ts'
export { sniff, type Sniffed } from './sniff.ts'
export { cleanName, isStagedId } from './staging.ts'
