/**
 * `npm run bench` runs every bench script in bench/ (files exporting `default async function
 * run(options)` that returns BenchRecord[]); `npm run bench -- NAME [NAME…]` runs the named ones.
 * Prints a table and writes bench/results/latest.json (shared/bench.md).
 */
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { printTable, writeResults, type BenchOptions, type BenchRecord } from './lib/report.ts'

const dir = path.resolve('bench')
const available = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.slice(0, -3))
  .sort()
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'))
const unknown = wanted.filter((w) => !available.includes(w))
if (unknown.length) {
  console.error(`Unknown bench(es): ${unknown.join(', ')}. Available: ${available.join(', ')}`)
  process.exit(2)
}
const mysqlUrl = process.env.BENCH_MYSQL_URL ?? process.env.TEST_MYSQL_URL
const options: BenchOptions = { dialects: mysqlUrl ? ['sqlite', 'mysql'] : ['sqlite'], mysqlUrl }
if (!mysqlUrl) console.log('MariaDB figures skipped: set BENCH_MYSQL_URL (or TEST_MYSQL_URL) to include them.')

const records: BenchRecord[] = []
// The load test builds and starts the production server on city-scale data (minutes): it has its
// own command, `npm run loadtest`, and runs here only when named.
// The city-scale backup timings (bench/backup.ts) also take minutes and run only when named.
const byDefault = available.filter((name) => name !== 'loadtest' && name !== 'backup')
for (const name of wanted.length ? wanted : byDefault) {
  console.log(`\n== ${name} ==`)
  const mod = (await import(pathToFileURL(path.join(dir, `${name}.ts`)).href)) as { default: (o: BenchOptions) => Promise<BenchRecord[]> }
  const result = await mod.default(options)
  printTable(result)
  records.push(...result)
}
console.log('\n== all ==')
printTable(records)
console.log(`\nwritten to ${path.relative(process.cwd(), writeResults(records))}`)
