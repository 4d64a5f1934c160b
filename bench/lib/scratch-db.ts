import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { type Kysely, sql } from 'kysely'
import { createDatabase } from '#db/connect.ts'
import type { Database } from '#db/schema.ts'
import type { Dialect } from './report.ts'

/**
 * An empty database of its own for one bench run: a new MariaDB database on the server of
 * `mysqlUrl` (dropped by `finish`), or a temporary SQLite file (deleted by `finish`, kept when
 * BENCH_KEEP_DB=1 so a slow query can be examined afterwards).
 */
export async function scratchDatabase(
  dialect: Dialect,
  mysqlUrl: string | undefined,
  label: string,
): Promise<{ db: Kysely<Database>; finish: () => Promise<void>; url: string }> {
  const tag = `${process.pid}_${Date.now().toString(36)}`
  if (dialect === 'mysql') {
    const server = new URL(mysqlUrl!)
    server.pathname = ''
    const name = `tj_bench_${label}_${tag}`
    const admin = createDatabase(server.toString(), { poolSize: 1 })
    await sql`CREATE DATABASE ${sql.id(name)} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`.execute(admin)
    const url = new URL(mysqlUrl!)
    url.pathname = `/${name}`
    const db = createDatabase(url.toString(), { poolSize: 4 })
    return {
      db,
      // For a second connection of the bench's own (e.g. a one-connection pool for bulk loading).
      url: url.toString(),
      finish: async () => {
        await db.destroy()
        await sql`DROP DATABASE IF EXISTS ${sql.id(name)}`.execute(admin)
        await admin.destroy()
      },
    }
  }
  const file = path.join(os.tmpdir(), `tiaojie-bench-${label}-${tag}.sqlite`)
  const db = createDatabase(`file:${file}`)
  return {
    db,
    url: `file:${file}`,
    finish: async () => {
      await db.destroy()
      if (process.env.BENCH_KEEP_DB === '1') console.log(`[sqlite] kept ${file}`)
      else for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true })
    },
  }
}
