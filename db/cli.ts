// `npm run db:migrate` and `npm run db:reset`: the same migrations on whichever dialect
// DATABASE_URL selects.
import { createDatabase, dialectOf } from './connect.ts'
import { migrateToLatest, resetDatabase } from './migrate.ts'

const command = process.argv[2]
const url = process.env.DATABASE_URL
const db = createDatabase(url, { poolSize: 1 })
try {
  if (command === 'migrate') {
    const applied = await migrateToLatest(db)
    console.log(`[${dialectOf(url)}] ${applied.length ? `applied ${applied.length} migration(s)` : 'already up to date'}`)
  } else if (command === 'reset') {
    if (process.env.NODE_ENV === 'production') throw new Error('db:reset refuses to run with NODE_ENV=production')
    await resetDatabase(db)
    console.log(`[${dialectOf(url)}] database reset and migrated`)
  } else {
    throw new Error(`unknown command ${command ?? '(none)'}; use migrate or reset`)
  }
} finally {
  await db.destroy()
}
