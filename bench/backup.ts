/**
 * `npm run bench -- backup`: how long the backup and the restore drill take at city scale, for the
 * RPO/RTO section of docs/operations.md. Runs only when named (minutes, not seconds).
 *
 * Source: the city-scale load database `tiaojie_load` on the MariaDB of BENCH_MYSQL_URL /
 * TEST_MYSQL_URL (made by `npm run loadtest` or `npm run gen:data -- --scale city`). It is only
 * read: the bench calls the code of `npm run backup` (`createBackup`, one consistent snapshot)
 * without the command line's final `backup.created` audit row, the one write the command makes.
 * Every restore goes into a scratch database made for the run and dropped afterwards.
 *
 * Measured BENCH_BACKUP_RUNS times each (default 1: a city backup is a minute-scale operation):
 * - MariaDB: backup of tiaojie_load; `--verify-only` of the file; restore (with its built-in
 *   drill: every table's count and SHA-256 recomputed before commit) into a brand-new database;
 * - SQLite: the same backup restored into a brand-new SQLite file (which makes the SQLite copy of
 *   the city), a backup of that copy, and its restore into another brand-new file.
 * Restores run with `--no-migrate` semantics, so the figure is the restore itself.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { parseKeyring } from '#app/lib/crypto.server.ts'
import { createBackup } from '#db/backup/dump.ts'
import { restoreBackup } from '#db/backup/load.ts'
import { verifyBackup } from '#db/backup/read.ts'
import { createDatabase } from '#db/connect.ts'
import { TEST_DATA_KEY } from '#tests/fixtures/test-env.ts'
import type { BenchOptions, BenchRecord, Dialect } from './lib/report.ts'

const SOURCE_DATABASE = 'tiaojie_load'
const SCRATCH_DATABASE = 'tiaojie_bench_restore'

/** Repetitions (BENCH_BACKUP_RUNS; bench/run.ts reads every other argument as a bench name). */
function runsWanted(): number {
  const value = Number(process.env.BENCH_BACKUP_RUNS ?? 1)
  return Number.isInteger(value) && value > 0 ? value : 1
}

function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

/** The data key the load database was generated with (loadtest.ts uses the same rule). */
function keyring() {
  return parseKeyring(process.env.TIAOJIE_DATA_KEY ?? TEST_DATA_KEY)
}

async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  const start = performance.now()
  const result = await work()
  return { seconds: (performance.now() - start) / 1000, result }
}

async function sourceExists(serverUrl: string): Promise<boolean> {
  const admin = createDatabase(serverUrl, { poolSize: 1 })
  try {
    const rows = await sql<{
      n: number
    }>`select count(*) as n from information_schema.tables where table_schema = ${SOURCE_DATABASE}`.execute(admin)
    return Number(rows.rows[0]?.n ?? 0) > 0
  } finally {
    await admin.destroy()
  }
}

async function resetScratch(serverUrl: string, create: boolean): Promise<void> {
  const admin = createDatabase(serverUrl, { poolSize: 1 })
  try {
    await sql.raw(`drop database if exists \`${SCRATCH_DATABASE}\``).execute(admin)
    if (create) await sql.raw(`create database \`${SCRATCH_DATABASE}\` character set utf8mb4 collate utf8mb4_bin`).execute(admin)
  } finally {
    await admin.destroy()
  }
}

async function backupOf(url: string, file: string) {
  const db = createDatabase(url, { poolSize: 1 })
  try {
    return await timed(() => createBackup(db, { file, key: keyring().current }))
  } finally {
    await db.destroy()
  }
}

async function restoreInto(url: string, file: string) {
  const db = createDatabase(url, { poolSize: 1 })
  try {
    return await timed(() => restoreBackup(db, { file, keysByVersion: keyring().byVersion, migrateAfter: false }))
  } finally {
    await db.destroy()
  }
}

function removeSqlite(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true })
}

export default async function run(options: BenchOptions): Promise<BenchRecord[]> {
  const server = options.mysqlUrl
  if (!server) {
    console.log(`backup: skipped, it needs the city-scale ${SOURCE_DATABASE} on MariaDB (BENCH_MYSQL_URL or TEST_MYSQL_URL)`)
    return []
  }
  if (!(await sourceExists(server))) {
    console.log(`backup: skipped, ${SOURCE_DATABASE} does not exist (make it with npm run loadtest)`)
    return []
  }
  const runs = runsWanted()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiaojie-bench-backup-'))
  const samples = new Map<string, { dialect: Dialect; unit: string; values: number[]; n: number }>()
  const note = (metric: string, dialect: Dialect, value: number, n: number, unit = 's') => {
    const entry = samples.get(metric) ?? { dialect, unit, values: [], n }
    entry.values.push(value)
    samples.set(metric, entry)
    console.log(`  ${metric.padEnd(28)} ${unit === 's' ? `${value.toFixed(1)} s` : `${value} ${unit}`}`)
  }
  try {
    for (let i = 0; i < runs; i++) {
      console.log(`backup: run ${i + 1} of ${runs}`)
      const mysqlFile = path.join(dir, `city-mysql-${i}.tjbak`)
      const backup = await backupOf(withDatabase(server, SOURCE_DATABASE), mysqlFile)
      const rows = backup.result.rows
      note('backup-mysql', 'mysql', backup.seconds, rows)
      note('backup-file-mysql', 'mysql', Math.round(backup.result.bytes / 1024 / 1024), rows, 'MB')
      const verify = await timed(() => verifyBackup(mysqlFile, keyring().byVersion))
      note('verify-only', 'none', verify.seconds, rows)

      await resetScratch(server, true)
      try {
        const restored = await restoreInto(withDatabase(server, SCRATCH_DATABASE), mysqlFile)
        note('restore-mysql', 'mysql', restored.seconds, restored.result.rows)
      } finally {
        await resetScratch(server, false)
      }

      // The SQLite copy of the city: the MariaDB backup restored across dialects.
      const copy = path.join(dir, `city-copy-${i}.sqlite`)
      const crossed = await restoreInto(`file:${copy}`, mysqlFile)
      note('restore-sqlite-from-mysql', 'sqlite', crossed.seconds, crossed.result.rows)
      fs.rmSync(mysqlFile, { force: true })
      fs.rmSync(`${mysqlFile}.sha256`, { force: true })

      const sqliteFile = path.join(dir, `city-sqlite-${i}.tjbak`)
      const sqliteBackup = await backupOf(`file:${copy}`, sqliteFile)
      note('backup-sqlite', 'sqlite', sqliteBackup.seconds, sqliteBackup.result.rows)
      note('backup-file-sqlite', 'sqlite', Math.round(sqliteBackup.result.bytes / 1024 / 1024), sqliteBackup.result.rows, 'MB')
      note('sqlite-file', 'sqlite', Math.round(fs.statSync(copy).size / 1024 / 1024), sqliteBackup.result.rows, 'MB')
      removeSqlite(copy)

      const target = path.join(dir, `city-restored-${i}.sqlite`)
      const sqliteRestore = await restoreInto(`file:${target}`, sqliteFile)
      note('restore-sqlite', 'sqlite', sqliteRestore.seconds, sqliteRestore.result.rows)
      removeSqlite(target)
      fs.rmSync(sqliteFile, { force: true })
      fs.rmSync(`${sqliteFile}.sha256`, { force: true })
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
  const at = new Date().toISOString()
  return [...samples].map(([metric, s]) => {
    const sorted = [...s.values].sort((a, b) => a - b)
    const median = sorted[Math.floor((sorted.length - 1) / 2)]!
    return {
      bench: 'backup',
      metric: s.unit === 's' ? `${metric}-median` : metric,
      value: Math.round(median * 10) / 10,
      unit: s.unit,
      better: 'lower' as const,
      dialect: s.dialect,
      n: s.n,
      runs: s.values.length,
      at,
    }
  })
}
