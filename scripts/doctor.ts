// npm run doctor [-- --json] · npm run doctor -- replay FILE…: Parley's checks without its window.
import { runDoctor } from '../src-main/core/diagnostics/doctor.ts'

const code = await runDoctor(process.argv.slice(2), { env: process.env, stdout: process.stdout })
process.exitCode = code
