/**
 * Case-library search at scale (issue 7, "Performance"): 10,000 generated cases built from the
 * sentences of the shipped cases (real vocabulary, deterministic shuffle), then the in-memory index
 * build time, the heap it takes, and p50/p95 latency of a query mix (short terms, colloquial
 * phrasings, article numbers, filters with text, similar cases). Targets: build < 10 s, p95 < 20 ms.
 * No database: the index lives in memory (docs/decisions/013-chinese-search.md).
 *
 * `npm run bench -- library-search`, or `tsx bench/library-search.ts` on its own.
 */
import { readCuratedCases } from '#app/modules/library/curated.server.ts'
import type { LibraryCase } from '#app/modules/library/model.ts'
import { LibrarySearch } from '#app/modules/library/search.ts'
import { mulberry32 } from '#db/seed/demo.ts'
import { type BenchOptions, type BenchRecord, measure, runAsScript, timingRecords } from './lib/report.ts'

const BENCH = 'library-search'
const N = Number(process.env.BENCH_LIBRARY_CASES ?? 10_000)
const BUILD_TARGET_MS = 10_000
const QUERY_TARGET_MS = 20
const SEED = 7_2026

const QUERIES = [
  '物业费',
  '拖欠物业费',
  '业主不交物业费怎么办',
  '民法典第九百四十四条',
  '人民调解法第31条',
  '交强险',
  '电动车被汽车撞了',
  '楼上漏水',
  '被狗咬了打狂犬疫苗',
  '农民工讨薪',
  '七天无理由退货',
  'A货翡翠',
  '12345投诉油烟',
  '孩子玩游戏充值退款',
  '离婚后见不到孩子',
]

export function generateCases(base: LibraryCase[], n: number, seed = SEED): LibraryCase[] {
  const random = mulberry32(seed)
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)]!
  const sentences = base.flatMap((c) => c.text.split(/(?<=[。！？])/).filter((s) => s.trim().length > 6))
  const out: LibraryCase[] = []
  for (let i = 0; i < n; i++) {
    const template = pick(base)
    const parts: string[] = []
    let length = 0
    const target = 1500 + Math.floor(random() * 1000)
    while (length < target) {
      const s = pick(sentences)
      parts.push(s)
      length += s.length
    }
    out.push({
      ...template,
      key: `bench-${i}`,
      caseId: `TJAL-2026-B${i}`,
      title: `${pick(base).title.slice(0, 12)}${template.title.slice(12)}`,
      year: 2015 + Math.floor(random() * 11),
      text: parts.join(''),
      sortDate: String(2015 + (i % 11)),
    })
  }
  return out
}

export default async function run(_options: BenchOptions): Promise<BenchRecord[]> {
  const { cases: base } = await readCuratedCases()
  if (!base.length) throw new Error('no curated cases in content/cases to draw sentences from')
  const cases = generateCases(base, N)
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  const used = () => {
    const m = process.memoryUsage()
    return m.heapUsed + m.arrayBuffers
  }
  const heapBefore = used()
  const builds: number[] = []
  let search: LibrarySearch | null = null
  for (let i = 0; i < 3; i++) {
    search = null
    gc?.()
    const started = performance.now()
    search = new LibrarySearch(cases)
    builds.push(performance.now() - started)
  }
  gc?.()
  const heapMb = (used() - heapBefore) / 1024 / 1024
  const index = search!
  let q = 0
  const queryMix = async () => {
    const query = QUERIES[q++ % QUERIES.length]!
    for (const hit of index.search(query).slice(0, 20)) index.snippet(hit.case, query)
  }
  const filtered = async () => {
    const query = QUERIES[q++ % QUERIES.length]!
    for (const hit of index.search(query, { disputeType: '劳动争议', year: 2020 }).slice(0, 20)) index.snippet(hit.case, query)
  }
  const similar = async () => {
    const c = cases[q++ % cases.length]!
    index.similar(`${c.title}\n${c.summary}\n${c.text}`, { disputeType: c.disputeType, domains: c.domains, excludeKey: c.key })
  }
  const at = new Date().toISOString()
  const base_ = { bench: BENCH, dialect: 'none' as const, n: N }
  const sortedBuilds = [...builds].sort((a, b) => a - b)
  const records: BenchRecord[] = [
    {
      ...base_,
      metric: 'index-build',
      value: Math.round(sortedBuilds[1]!),
      unit: 'ms',
      target: BUILD_TARGET_MS,
      better: 'lower',
      runs: builds.length,
      at,
    },
    { ...base_, metric: 'index-heap', value: Math.round(heapMb * 10) / 10, unit: 'MB', better: 'lower', runs: 1, at },
  ]
  const withTarget = (r: BenchRecord) => (r.metric.endsWith('-p95') ? { ...r, target: QUERY_TARGET_MS } : r)
  records.push(...timingRecords(base_, 'query-mix', await measure(queryMix, 150, 15)).map(withTarget))
  records.push(...timingRecords(base_, 'query-filtered', await measure(filtered, 150, 15)).map(withTarget))
  records.push(...timingRecords(base_, 'similar-cases', await measure(similar, 60, 5)).map(withTarget))
  // The same texts again (a difficult case's page viewed again, a draft between two pauses that
  // changed nothing): LibrarySearch keeps its latest similar-case results.
  const repeated = async () => {
    const c = cases[q++ % 50]!
    index.similar(`${c.title}\n${c.summary}\n${c.text}`, { disputeType: c.disputeType, domains: c.domains, excludeKey: c.key })
  }
  records.push(...timingRecords(base_, 'similar-cases-repeated', await measure(repeated, 100, 50)).map(withTarget))
  return records
}

// Run on its own: `tsx bench/library-search.ts`.
await runAsScript(import.meta.url, run)
