// `npm run db:seed`: migrates, then seeds reference data (always) and the demo data set (never in
// production). Safe to run repeatedly: the second run finds everything in place and writes nothing.
import { createDatabase, dialectOf } from '#db/connect.ts'
import { migrateToLatest } from '#db/migrate.ts'
import { existingValues } from './bulk.ts'
import { REGIONS } from './data/regions.ts'
import { DEMO_PASSWORD, DEMO_SEED, type DemoData, generateDemo, mulberry32, seedDemo } from './demo.ts'
import { seedExpertPool } from './expert-pool.ts'
import { seedReferenceData } from './reference.ts'
import { seedTraining } from './training.ts'
import { seedCases } from './cases.ts'
import { seedLibrary } from './library.ts'
import { seedDrills } from './drills.ts'
import { seedGradingReview } from './grading-review.ts'
import { seedGrading } from './grading.ts'
import { seedApiClients } from './api-clients.ts'
import { seedDirectory } from './directory.ts'
import { seedTwoFactorDemo } from './two-factor.ts'

const url = process.env.DATABASE_URL
const production = process.env.NODE_ENV === 'production'
const started = performance.now()
const say = (line: string) => console.log(`[seed:${dialectOf(url)}] ${line}`)

/** The demo accounts that are in the database (one whose username was taken before is not). */
function describeAccounts({ accounts, organisations }: DemoData, present: Set<string>): string[] {
  const orgs = new Map(organisations.map((o) => [o.id, o.name]))
  const regions = new Map(REGIONS.map((r) => [r.code, r.name]))
  const width = Math.max(...accounts.map((a) => a.username.length))
  return accounts
    .filter((account) => present.has(account.id))
    .map((account) => {
      const roles = account.roles.map((grant) => {
        const scope = grant.regionCode ? regions.get(grant.regionCode) : grant.orgId ? orgs.get(grant.orgId) : null
        return scope ? `${grant.role} (${scope})` : grant.role
      })
      return `  ${account.username.padEnd(width)}  ${roles.join(', ')}  ${account.displayName}`
    })
}

const db = createDatabase(url, { poolSize: 1 })
try {
  const applied = await migrateToLatest(db)
  say(applied.length ? `applied ${applied.length} migration(s)` : 'schema up to date')

  const reference = await seedReferenceData(db)
  say(
    `reference data: ${reference.regionsInserted} region(s) inserted, ${reference.regionsUpdated} updated, ` +
      `${reference.disputeTypesInserted} dispute type(s) inserted`,
  )

  if (production) {
    say('NODE_ENV=production: reference data only. Demo organisations, people and accounts are never created in production;')
    say('create the first administrator with `npm run create-admin`.')
  } else {
    const demo = await seedDemo(db)
    if (demo.skipped) {
      say('demo data already present: nothing to do')
    } else {
      const n = demo.inserted
      say(
        `demo data: ${n.organisations} organisation(s), ${n.people} people, ${n.mediators} mediator(s), ` +
          `${n.users} account(s), ${n.roleGrants} role grant(s) inserted`,
      )
    }
    for (const conflict of demo.conflicts) say(`skipped ${conflict}`)
    // Expert profiles before difficult cases: the demo cases are matched against this pool.
    const pool = await seedExpertPool(db, mulberry32(DEMO_SEED))
    say(`demo expert pool: ${pool.experts} expert profile(s) inserted, ${pool.skipped} already present`)
    say(`demo training records: ${(await seedTraining(db)).inserted} inserted`)
    say(`demo difficult cases: ${(await seedCases(db)).inserted} inserted`)
    say(`demo library submissions: ${(await seedLibrary(db)).inserted} inserted`)
    say(`demo drill events: ${(await seedDrills(db)).inserted} inserted`)
    say(`demo grading rules, case statistics and open round: ${(await seedGrading(db)).inserted} row(s) inserted`)
    say(`demo grading review round: ${(await seedGradingReview(db)).inserted} row(s) inserted`)
    const apiClient = await seedApiClients(db)
    say(`demo partner API client: ${apiClient.inserted} inserted; client id ${apiClient.clientId}, secret ${apiClient.secret}`)
    const directory = await seedDirectory(db)
    say(
      `demo public directory: ${directory.organisations} organisation(s) given public information, ${directory.grades} published grade(s)`,
    )
    const twoFactor = await seedTwoFactorDemo(db)
    say(
      twoFactor.waived
        ? 'two-factor sign-in: NOT required for any role in this demo (settings › 两步验证). Production requires it for admin, bureau_staff and association_admin by default.'
        : 'two-factor sign-in: requirement left as stored in settings (twoFactor.requiredRoles)',
    )
    say(`demo accounts (password for all: ${DEMO_PASSWORD}):`)
    const data = generateDemo()
    const present = await existingValues(
      db,
      'users',
      'id',
      data.accounts.map((a) => a.id),
    )
    for (const line of describeAccounts(data, present)) console.log(line)
  }
  say(`done in ${((performance.now() - started) / 1000).toFixed(2)} s`)
} catch (error) {
  console.error(`[seed] failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
} finally {
  await db.destroy()
}
