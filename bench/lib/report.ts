/**
 * Benchmark records in the shape shared/bench.md describes, plus the statistics every bench uses.
 * Times are summarised over repeated runs after a warm-up; never a single run.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

export type Dialect = 'sqlite' | 'mysql' | 'none'

export interface BenchRecord {
  bench: string
  metric: string
  value: number
  unit: string
  target?: number
  better: 'lower' | 'higher'
  dialect: Dialect
  n: number
  runs: number
  at: string
}

export interface BenchOptions {
  /** Dialects to measure: sqlite always; mysql when BENCH_MYSQL_URL or TEST_MYSQL_URL is set. */
  dialects: Dialect[]
  mysqlUrl: string | undefined
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[index]!
}

/** Runs `fn` `warmup` times unmeasured, then `runs` times, and returns the sorted durations in ms. */
export async function measure(fn: () => Promise<unknown>, runs = 30, warmup = 5): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn()
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    await fn()
    times.push(performance.now() - start)
  }
  return times.sort((a, b) => a - b)
}

export function timingRecords(
  base: Omit<BenchRecord, 'metric' | 'value' | 'unit' | 'better' | 'runs' | 'at'>,
  metric: string,
  sortedMs: number[],
): BenchRecord[] {
  const at = new Date().toISOString()
  const round = (v: number) => Math.round(v * 100) / 100
  return [
    { ...base, metric: `${metric}-p50`, value: round(percentile(sortedMs, 50)), unit: 'ms', better: 'lower', runs: sortedMs.length, at },
    { ...base, metric: `${metric}-p95`, value: round(percentile(sortedMs, 95)), unit: 'ms', better: 'lower', runs: sortedMs.length, at },
  ]
}

export function printTable(records: BenchRecord[]): void {
  const rows = records.map((r) => {
    const ok = r.target === undefined ? '' : (r.better === 'lower' ? r.value <= r.target : r.value >= r.target) ? 'ok' : 'MISS'
    return [
      r.bench,
      r.metric,
      r.dialect,
      String(r.n),
      `${r.value} ${r.unit}`,
      r.target === undefined ? '' : `${r.better === 'lower' ? '≤' : '≥'} ${r.target}`,
      ok,
    ]
  })
  const header = ['bench', 'metric', 'dialect', 'n', 'value', 'target', '']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ')
  console.log(line(header))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const row of rows) console.log(line(row))
}

export const RESULTS_DIR = path.resolve('bench/results')

/** Replaces this run's benches in latest.json, keeping figures of benches not run this time. */
export function writeResults(records: BenchRecord[]): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true })
  const file = path.join(RESULTS_DIR, 'latest.json')
  const previous: BenchRecord[] = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : []
  const ran = new Set(records.map((r) => r.bench))
  const merged = [...previous.filter((r) => !ran.has(r.bench)), ...records]
  fs.writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`)
  fs.writeFileSync(
    path.join(RESULTS_DIR, 'machine.json'),
    `${JSON.stringify({ cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` }, null, 2)}\n`,
  )
  return file
}

type BenchRun = (options: BenchOptions) => Promise<BenchRecord[]>

/**
 * A bench's `run(options)` that measures each database dialect in turn with `benchDialect`. A
 * dialect that fails is logged and left out, so the other dialect's figures are still reported.
 */
export function runPerDialect(
  bench: string,
  benchDialect: (dialect: Dialect, mysqlUrl: string | undefined) => Promise<BenchRecord[]>,
  options: { skip?: (dialect: Dialect) => boolean } = {},
): BenchRun {
  return async ({ dialects, mysqlUrl }) => {
    const records: BenchRecord[] = []
    for (const dialect of dialects) {
      if (dialect === 'none' || options.skip?.(dialect)) continue
      try {
        records.push(...(await benchDialect(dialect, mysqlUrl)))
      } catch (error) {
        console.log(`[${dialect}] ${bench} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
      }
    }
    return records
  }
}

const DIALECTS: readonly Dialect[] = ['sqlite', 'mysql', 'none']

/**
 * The dialects a bench run on its own measures: sqlite, and mysql when BENCH_MYSQL_URL or
 * TEST_MYSQL_URL is set; BENCH_DIALECTS=mysql (comma-separated) picks them instead, e.g. to skip
 * loading a large data set twice.
 */
function scriptOptions(): BenchOptions {
  const mysqlUrl = process.env.BENCH_MYSQL_URL ?? process.env.TEST_MYSQL_URL
  const only = process.env.BENCH_DIALECTS?.split(',')
    .map((d) => d.trim())
    .filter(Boolean)
  const unknown = only?.filter((d) => !DIALECTS.includes(d as Dialect))
  if (unknown?.length) throw new Error(`BENCH_DIALECTS: unknown dialect(s) ${unknown.join(', ')} (known: ${DIALECTS.join(', ')})`)
  return { dialects: (only as Dialect[] | undefined) ?? (mysqlUrl ? ['sqlite', 'mysql'] : ['sqlite']), mysqlUrl }
}

/**
 * Lets a bench file run on its own (`tsx bench/NAME.ts`): when it is the script node was started
 * with, runs it, prints the table and writes the results. Call it with the file's `import.meta.url`.
 */
export async function runAsScript(importMetaUrl: string, run: BenchRun): Promise<void> {
  if (importMetaUrl !== pathToFileURL(process.argv[1] ?? '').href) return
  const records = await run(scriptOptions())
  printTable(records)
  console.log(`written to ${path.relative(process.cwd(), writeResults(records))}`)
}
