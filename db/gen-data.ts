/**
 * `npm run gen:data -- --scale city|province|tiny [--force]`: fills the database at DATABASE_URL
 * (SQLite or MariaDB) with the scale data set of db/seed/scale.ts. Migrates first. Refuses a
 * database that already holds organisations or people unless `--force`, which resets it (drops
 * every table and migrates again; never with NODE_ENV=production). Progress goes to stderr, the
 * summary (counts, seconds, the accounts with the demo password) to stdout.
 */
import { createDatabase, dialectOf } from './connect.ts'
import { migrateToLatest, resetDatabase } from './migrate.ts'
import { seedTwoFactorDemo } from './seed/two-factor.ts'
import { LOAD_PASSWORD, SCALES, type ScaleName, fastLoadSession, generateScaleData, hasData, stderrProgress } from './seed/scale.ts'

function argument(name: string): string | undefined {
  const args = process.argv.slice(2)
  const inline = args.find((a) => a.startsWith(`--${name}=`))
  if (inline) return inline.slice(name.length + 3)
  const at = args.indexOf(`--${name}`)
  return at >= 0 ? args[at + 1] : undefined
}

const scale = (argument('scale') ?? 'city') as ScaleName
const force = process.argv.includes('--force')
const url = process.env.DATABASE_URL
if (!(scale in SCALES)) {
  console.error(`Unknown scale ${scale}; use ${Object.keys(SCALES).join(', ')}`)
  process.exit(2)
}
if (process.env.NODE_ENV === 'production') {
  console.error('gen:data writes generated people and accounts with a known password: refused with NODE_ENV=production')
  process.exit(2)
}

// One connection: MariaDB's session settings for bulk loading apply to every statement.
const db = createDatabase(url, { poolSize: 1 })
try {
  await migrateToLatest(db)
  if (await hasData(db)) {
    if (!force) {
      console.error('[gen:data] the database at DATABASE_URL already holds data; pass --force to reset it first (every table is dropped).')
      process.exitCode = 1
    } else {
      console.error('[gen:data] --force: resetting the database')
      await resetDatabase(db)
    }
  }
  if (!process.exitCode) {
    await fastLoadSession(db)
    const summary = await generateScaleData(db, { scale, progress: stderrProgress() })
    console.log(`[gen:data:${dialectOf(url)}] ${scale} scale in ${summary.seconds.toFixed(1)} s`)
    for (const [table, count] of Object.entries(summary.counts).sort()) console.log(`  ${table.padEnd(28)} ${count.toLocaleString('en')}`)
    console.log(`accounts (password ${LOAD_PASSWORD}): ${summary.accounts.map((a) => a.username).join(', ')}`)
    // The load test signs staff in with a password only, like the demo (production requires a second factor).
    if ((await seedTwoFactorDemo(db)).waived)
      console.log('two-step verification is not required for these accounts (demo data; production requires it)')
  }
} catch (error) {
  console.error(`[gen:data] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
  process.exitCode = 1
} finally {
  await db.destroy()
}
