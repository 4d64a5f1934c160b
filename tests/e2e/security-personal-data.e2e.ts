/**
 * Personal data leak tests (security checklist 14, 26, 27) on the demo data set, against the
 * running production build:
 *
 * - As each demo role, crawl the signed-in area from the home page by its links (one URL per route
 *   pattern), fetching every page, its single-fetch data (`<path>.data`, Remix v2's successor of
 *   `?_data=`) and every download it links to (.xlsx opened and read cell by cell), and assert
 *   that no full ID or mobile number appears. No role receives a full number from a GET: the full
 *   view is a POST of its own, permitted per record and audited, which is checked here too.
 * - The server's SQLite file (and its WAL) holds no plaintext ID or phone number.
 */
import fs from 'node:fs'
import ExcelJS from 'exceljs'
import { describe, expect, inject, it } from 'vitest'
import { TEST_DATA_KEY, TEST_SESSION_SECRET } from '#tests/fixtures/test-env.ts'
import { type Leak, findPersonalNumbers, findPersonalNumbersInBytes } from '#tests/security/leaks.ts'
import { DEMO_USERNAMES, type DemoUsername } from './accounts.ts'
import { e2eDb } from './database.ts'
import { get, mintSession, postForm } from './security-helpers.ts'

// The server encrypts with the test key; this process needs it to know which numbers to look for.
process.env.TIAOJIE_DATA_KEY ??= TEST_DATA_KEY
process.env.SESSION_SECRET ??= TEST_SESSION_SECRET
const { decrypt } = await import('#app/lib/crypto.server.ts')

const MAX_PATTERNS_PER_ROLE = 45
const PARALLEL = 4
const ULID = /[0-9A-HJKMNP-TV-Z]{26}/g

/** Every plaintext personal number in the demo data, decrypted from the database. */
async function knownNumbers(): Promise<Set<string>> {
  const db = e2eDb()
  const sealed = [
    ...(await db.selectFrom('people').select(['id_number_enc as a', 'phone_enc as b']).execute()).flatMap((r) => [r.a, r.b]),
    ...(await db.selectFrom('case_parties').select('id_number_enc as a').execute()).map((r) => r.a),
    ...(await db.selectFrom('grading_objections').select('filer_contact_enc as a').execute()).map((r) => r.a),
  ]
  const known = new Set<string>()
  for (const value of sealed) if (value) known.add(decrypt(value).toUpperCase())
  return known
}

/** Same-origin GET links of a page worth following. */
function linksOf(html: string): string[] {
  const links: string[] = []
  for (const match of html.matchAll(/<a\b[^>]*\bhref="([^"]+)"/g)) {
    const href = match[1]!.replaceAll('&amp;', '&')
    if (!href.startsWith('/') || href.startsWith('//') || href.startsWith('/assets/')) continue
    if (/^\/(logout|preferences)\b/.test(href)) continue
    links.push(href.split('#')[0]!)
  }
  return links
}

/** One URL per route shape: record ids and query strings do not make a new page. */
function patternOf(path: string): string {
  return path
    .split('?')[0]!
    .replace(ULID, ':id')
    .replace(/\/\d+(?=\/|$)/g, '/:n')
}

function dataUrlOf(path: string): string {
  const [pathname, search] = path.split('?') as [string, string | undefined]
  const base = pathname === '/' ? '/_root' : pathname.replace(/\/$/, '')
  return `${base}.data${search ? `?${search}` : ''}`
}

async function spreadsheetText(bytes: ArrayBuffer): Promise<string> {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(bytes)
  const cells: string[] = []
  for (const sheet of workbook.worksheets) {
    sheet.eachRow((row) => {
      row.eachCell((cell) => {
        cells.push(String(cell.text ?? ''))
      })
    })
  }
  return cells.join('\n')
}

interface Visit {
  url: string
  status: number
  leaks: Leak[]
}

/** Crawls the signed-in area as one user; returns what was fetched and what leaked. */
async function crawl(
  cookie: string | undefined,
  known: Set<string>,
  start: string[] = ['/'],
): Promise<{ visits: Visit[]; patterns: Set<string> }> {
  const queue = [...start]
  const patterns = new Set<string>(start.map(patternOf))
  const visits: Visit[] = []
  const scan = (target: string, status: number, text: string) =>
    visits.push({ url: target, status, leaks: findPersonalNumbers(text, known) })

  async function visit(path: string): Promise<void> {
    const response = await get(path, cookie)
    const type = response.headers.get('content-type') ?? ''
    if (type.includes('spreadsheetml')) {
      scan(path, response.status, await spreadsheetText(await response.arrayBuffer()))
      return
    }
    if (!/text|json|javascript|csv/.test(type)) {
      await response.body?.cancel()
      visits.push({ url: path, status: response.status, leaks: [] })
      return
    }
    const body = await response.text()
    scan(path, response.status, body)
    if (!type.includes('text/html')) return
    const data = await get(dataUrlOf(path), cookie)
    scan(dataUrlOf(path), data.status, await data.text())
    if (response.status !== 200) return
    for (const link of linksOf(body)) {
      const pattern = patternOf(link)
      if (patterns.has(pattern) || patterns.size >= MAX_PATTERNS_PER_ROLE) continue
      patterns.add(pattern)
      queue.push(link)
    }
  }

  const workers = Array.from({ length: PARALLEL }, async () => {
    // Workers share the queue; one that finds it empty waits briefly for the others' links.
    for (let idle = 0; idle < 20; ) {
      const next = queue.shift()
      if (next === undefined) {
        idle++
        await new Promise((resolve) => setTimeout(resolve, 50))
        continue
      }
      idle = 0
      await visit(next)
    }
  })
  await Promise.all(workers)
  return { visits, patterns }
}

describe('personal numbers in what each role receives', () => {
  it('appear in no page, page data or download of any role’s crawl of the demo data', { timeout: 180_000 }, async () => {
    const known = await knownNumbers()
    expect(known.size).toBeGreaterThan(300)
    const summary: Record<string, number> = {}
    const leaks: string[] = []
    for (const username of DEMO_USERNAMES) {
      const { visits, patterns } = await crawl(await mintSession(username), known)
      summary[username] = patterns.size
      for (const v of visits) {
        expect(v.status, `${username} GET ${v.url}`).toBeLessThan(500)
        for (const leak of v.leaks) leaks.push(`${username} GET ${v.url}: ${leak.kind} ${leak.value} in …${leak.context}…`)
      }
    }
    expect(leaks).toEqual([])
    // The crawl reached the areas of each duty, not just the home page.
    const reach = (u: DemoUsername) => summary[u]!
    expect(reach('hd.staff')).toBeGreaterThan(20)
    expect(reach('admin')).toBeGreaterThan(10)
    expect(reach('mediator')).toBeGreaterThan(5)
    expect(reach('expert')).toBeGreaterThan(3)
  })
})

describe('personal numbers on public pages', () => {
  it(
    'appear in none of the pages an anonymous visitor reaches (directory, notices, certificates, sign-in)',
    { timeout: 60_000 },
    async () => {
      const known = await knownNumbers()
      const notices = await e2eDb().selectFrom('grading_rounds').select('id').execute()
      const start = ['/login', '/directory', '/directory/mediators', '/directory/experts', ...notices.map((r) => `/notice/${r.id}`)]
      const { visits } = await crawl(undefined, known, start)
      expect(visits.filter((v) => v.status === 200).length).toBeGreaterThan(3)
      const leaks = visits.flatMap((v) => v.leaks.map((l) => `GET ${v.url}: ${l.kind} ${l.value} in …${l.context}…`))
      for (const v of visits) expect(v.status, `GET ${v.url}`).toBeLessThan(500)
      expect(leaks).toEqual([])
    },
  )
})

describe('the full view of a number', () => {
  async function haidianPerson() {
    return e2eDb()
      .selectFrom('mediators as m')
      .innerJoin('people as p', 'p.id', 'm.person_id')
      .select(['p.id', 'p.id_number_enc', 'p.id_number_masked'])
      .where('p.region_code', 'like', '110108%')
      .where('p.id_number_enc', 'is not', null)
      .orderBy('p.id')
      .executeTakeFirstOrThrow()
  }

  async function reveals(recordId: string, action: string, username: string) {
    return e2eDb()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', action)
      .where('record_id', '=', recordId)
      .where('username', '=', username)
      .execute()
  }

  it('is given to staff in scope on request, and audited without the number', async () => {
    const person = await haidianPerson()
    const full = decrypt(person.id_number_enc!)
    const before = (await reveals(person.id, 'person.reveal', 'hd.staff')).length
    const response = await postForm(
      `/people/${person.id}`,
      { intent: 'reveal', field: 'idNumber' },
      { cookie: await mintSession('hd.staff') },
    )
    expect(response.status).toBe(200)
    expect(await response.text()).toContain(full)
    const rows = await reveals(person.id, 'person.reveal', 'hd.staff')
    expect(rows).toHaveLength(before + 1)
    expect(rows.at(-1)!.result).toBe('ok')
    expect(JSON.stringify(rows)).not.toContain(full)
  })

  it('is refused to staff of another district (404) and to roles without the permission (403), and the refusal is logged', async () => {
    const person = await haidianPerson()
    const full = decrypt(person.id_number_enc!)
    for (const [username, status] of [
      ['cy.staff', 404],
      ['mediator', 403],
      ['auditor', 403],
    ] as const) {
      const response = await postForm(
        `/people/${person.id}`,
        { intent: 'reveal', field: 'idNumber' },
        { cookie: await mintSession(username) },
      )
      expect(response.status, username).toBe(status)
      expect(await response.text(), username).not.toContain(full)
    }
    const refusals = await e2eDb()
      .selectFrom('audit_log')
      .select(['action', 'username'])
      .where('record_id', '=', person.id)
      .where('result', '=', 'denied')
      .where('username', '=', 'cy.staff')
      .execute()
    expect(refusals.length).toBeGreaterThan(0)
  })

  it('of an expert is given to staff in scope on request, and audited', async () => {
    const expert = await e2eDb()
      .selectFrom('experts as e')
      .innerJoin('people as p', 'p.id', 'e.person_id')
      .select(['p.id', 'p.id_number_enc'])
      .where('e.region_code', '=', '110108')
      .where('p.id_number_enc', 'is not', null)
      .orderBy('p.id')
      .executeTakeFirst()
    if (!expert) throw new Error('the demo data has no Haidian expert with an ID number')
    const full = decrypt(expert.id_number_enc!)
    const before = (await reveals(expert.id, 'expert.reveal', 'hd.staff')).length
    const response = await postForm(
      `/experts/${expert.id}`,
      { intent: 'reveal', field: 'idNumber' },
      { cookie: await mintSession('hd.staff') },
    )
    expect(response.status).toBe(200)
    expect(await response.text()).toContain(full)
    expect(await reveals(expert.id, 'expert.reveal', 'hd.staff')).toHaveLength(before + 1)
  })
})

describe('the database at rest', () => {
  it('holds no plaintext ID or phone number in the SQLite file or its WAL', async () => {
    const known = await knownNumbers()
    const file = inject('e2eDatabaseUrl').replace(/^file:/, '')
    expect(fs.existsSync(file)).toBe(true)
    for (const path of [file, `${file}-wal`]) {
      if (!fs.existsSync(path)) continue
      const leaks = findPersonalNumbersInBytes(fs.readFileSync(path), known).filter((l) => known.has(l.value))
      expect(leaks.map((l) => `${path}: ${l.value} in …${l.context}…`)).toEqual([])
    }
  })
})
