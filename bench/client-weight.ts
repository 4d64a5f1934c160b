/**
 * Client weight per route (issue 10, item 4): builds the app when there is no client build yet,
 * then reports each route's gzipped JavaScript (bench/lib/client-weight.ts) against the 150 KB
 * budget, every route in a table. Records: the heaviest route, the median route, the lightest
 * (what every page shares: entry, root and their messages) and how many routes are over budget.
 * docs/decisions/030-client-weight.md.
 *
 * `npm run bench -- client-weight`, or `tsx bench/client-weight.ts` on its own.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { CLIENT_MANIFEST, ROUTE_BUDGET_KB, kb, readManifest, routeWeights, weightTable } from './lib/client-weight.ts'
import { type BenchRecord, runAsScript } from './lib/report.ts'

export default async function run(): Promise<BenchRecord[]> {
  let manifest = readManifest()
  if (!manifest) {
    console.log(`no ${CLIENT_MANIFEST}: building the app (npm run build)`)
    // Under the shared build lock when the machine has one (the e2e runs build into build/ too).
    const [command, args] = fs.existsSync('/usr/bin/flock')
      ? ['flock', ['/tmp/tiaojie-e2e.lock', 'npm', 'run', 'build']]
      : ['npm', ['run', 'build']]
    const build = spawnSync(command as string, args as string[], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } })
    if (build.status !== 0) throw new Error('client-weight: npm run build failed')
    manifest = readManifest()
    if (!manifest) throw new Error(`client-weight: the build wrote no ${CLIENT_MANIFEST}`)
  }
  const weights = routeWeights(manifest)
  console.log(weightTable(weights))
  const sorted = weights.map((w) => w.gzipBytes).sort((a, b) => a - b)
  const at = new Date().toISOString()
  const base = { bench: 'client-weight', unit: 'KB', better: 'lower' as const, dialect: 'none' as const, n: weights.length, runs: 1, at }
  const over = weights.filter((w) => kb(w.gzipBytes) > ROUTE_BUDGET_KB)
  if (over.length) console.log(`over ${ROUTE_BUDGET_KB} KB: ${over.map((w) => w.route).join(', ')}`)
  return [
    {
      ...base,
      metric: `heaviest-route-gzip (${weights[0]?.route.replace(/^routes\//, '') ?? 'none'})`,
      value: kb(weights[0]?.gzipBytes ?? 0),
      target: ROUTE_BUDGET_KB,
    },
    { ...base, metric: 'median-route-gzip', value: kb(sorted[Math.floor(sorted.length / 2)] ?? 0), target: ROUTE_BUDGET_KB },
    { ...base, metric: 'shared-gzip (lightest route)', value: kb(sorted[0] ?? 0), target: ROUTE_BUDGET_KB },
    { ...base, metric: 'routes-over-budget', value: over.length, unit: 'routes', target: 0 },
  ]
}

// Run on its own: `tsx bench/client-weight.ts`.
await runAsScript(import.meta.url, run)
