// `npm run purge:parties [-- --dry-run] [-- --batch N]`: removes the personal data of the parties
// of closed cases whose retention (setting retention.partyDataMonths, default 36 months, never
// under 6) has run out, as the app servers' daily job does. --dry-run only counts what is due.
// Safe while the app runs, and on several machines at once. See
// docs/decisions/028-party-data-retention.md and docs/operations.md.
import { purgeDueParties, systemRequest } from '#app/modules/retention/purge.server.ts'
import { flag, option, runDatabaseCli } from './cli-support.ts'

await runDatabaseCli('purge:parties', async ({ tag, openDatabase }) => {
  const batch = option('batch')
  const batchSize = batch === undefined ? undefined : Number(batch)
  if (batchSize !== undefined && !(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= 500)) {
    throw new Error('--batch must be a whole number from 1 to 500')
  }
  const dryRun = flag('dry-run')
  const result = await purgeDueParties(openDatabase({ poolSize: 2 }), {
    trigger: 'cli',
    actor: { userId: null, username: 'system:purge-parties-cli', roles: null, scope: null },
    request: systemRequest(),
    batchSize,
    dryRun,
  })
  const scope = `cases closed before ${result.cutoff} (retention ${result.months} months)`
  if (dryRun) {
    console.log(`${tag} dry run: ${result.cases} ${scope} are due, with ${result.persons} parties who are persons. Nothing changed.`)
    return
  }
  console.log(
    `${tag} purged ${result.cases} ${scope}: ${result.persons} persons renamed and cleared, ${result.referrals} referral hashes cleared, ${result.batches} batches. Recorded in the audit log.`,
  )
})
