/**
 * Training content (issue 5, "Performance"): compiling all shipped content cold (target < 60 s),
 * and serving a cached module (target p95 < 20 ms server time): loading the course through the
 * content loader (files read, hashes checked, compiled code from the cache) and rendering the
 * module to HTML, as the module page's loader does. Uses a scratch SQLite database for the
 * mdx_cache table, deleted afterwards; the database plays no part in a memory-cache hit.
 *
 * `npm run bench -- training-render`, or `tsx bench/training-render.ts` on its own.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { clearMemoryCache } from '#app/lib/mdx/compile.server.ts'
import { renderMdx } from '#app/lib/mdx/render.server.tsx'
import { loadCatalogue, loadCourse } from '#app/modules/training/content.server.ts'
import { createDatabase } from '#db/connect.ts'
import { migrateToLatest } from '#db/migrate.ts'
import { type BenchOptions, type BenchRecord, measure, runAsScript, timingRecords } from './lib/report.ts'

const BENCH = 'training-render'

export default async function run(_options: BenchOptions): Promise<BenchRecord[]> {
  const file = path.join(os.tmpdir(), `tiaojie-bench-training-${process.pid}.sqlite`)
  const db = createDatabase(`file:${file}`)
  try {
    await migrateToLatest(db)
    // Cold: no memory cache, empty mdx_cache table: every file goes through mdx-bundler.
    clearMemoryCache()
    const started = performance.now()
    const courses = await loadCatalogue(db)
    const compileMs = Math.round(performance.now() - started)
    const modules = courses.flatMap((c) => c.modules.map((m) => ({ course: c.slug, module: m.slug })))

    // Warm: what a module page costs once compiled (memory cache, HTML render cache).
    let i = 0
    const times = await measure(
      async () => {
        const target = modules[i++ % modules.length]!
        const course = await loadCourse(db, target.course)
        const module = course!.modules.find((m) => m.slug === target.module)!
        renderMdx(module.hash, module.code)
      },
      200,
      modules.length,
    )
    const at = new Date().toISOString()
    return [
      {
        bench: BENCH,
        metric: 'compile-all',
        value: compileMs,
        unit: 'ms',
        target: 60_000,
        better: 'lower',
        dialect: 'sqlite',
        n: modules.length + courses.length,
        runs: 1,
        at,
      },
      ...timingRecords({ bench: BENCH, dialect: 'sqlite', n: modules.length, target: 20 }, 'cached-module', times),
    ]
  } finally {
    await db.destroy()
    fs.rmSync(file, { force: true })
  }
}

// Run on its own: `tsx bench/training-render.ts`.
await runAsScript(import.meta.url, run)
