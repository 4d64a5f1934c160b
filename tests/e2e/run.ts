// `npm run test:e2e [vitest arguments]`: the end-to-end suite alone (see run-e2e.ts).
import { runE2e } from './run-e2e.ts'

const run = await runE2e(process.argv.slice(2))
process.exitCode = run.ok ? 0 : 1
