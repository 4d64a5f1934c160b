/**
 * Queries per page (issue 10: at most 10, no N+1): the main list and detail loaders, called the
 * way Remix calls them, over the generator's `tiny` data set (hundreds of mediators, dozens of
 * experts, cases and accepted library cases, thousands of training records), so a query per row
 * would show as dozens of statements. The count includes the session and permission look-ups.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { loader as caseDetail } from '#app/routes/_app.cases.$caseId.tsx'
import { loader as caseList } from '#app/routes/_app.cases._index.tsx'
import { loader as expertDetail } from '#app/routes/_app.experts.$expertId._index.tsx'
import { loader as expertRoster } from '#app/routes/_app.experts._index.tsx'
import { loader as libraryCase } from '#app/routes/_app.library.$caseKey.tsx'
import { loader as libraryList } from '#app/routes/_app.library._index.tsx'
import { loader as personDetail } from '#app/routes/_app.people.$personId.tsx'
import { loader as peopleList } from '#app/routes/_app.people._index.tsx'
import { loader as trainingArchive } from '#app/routes/_app.training.archive.$personId.tsx'
import { loader as trainingCatalogue } from '#app/routes/_app.training._index.tsx'
import { generateScaleData } from '#db/seed/scale.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { countQueries } from '#tests/fixtures/query-count.ts'
import { call, cookieFor } from '#tests/security/world.ts'

const MAX_QUERIES = 10

const cookies: Record<string, string> = {}
const ids = { person: '', expert: '', case: '', library: '', mediatorPerson: '' }

beforeAll(async () => {
  const db = testDb()
  await generateScaleData(db, { scale: 'tiny' })
  for (const username of ['load.city.staff', 'load.mediator.1']) {
    const user = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()
    cookies[username] = await cookieFor(user.id)
  }
  const mediator = await db.selectFrom('users').select('person_id').where('username', '=', 'load.mediator.1').executeTakeFirstOrThrow()
  ids.mediatorPerson = mediator.person_id!
  ids.person = (await db.selectFrom('mediators').select('person_id').orderBy('person_id').limit(1).executeTakeFirstOrThrow()).person_id
  ids.expert = (
    await db
      .selectFrom('experts')
      .select('person_id')
      .where('status', '=', 'active')
      .orderBy('person_id')
      .limit(1)
      .executeTakeFirstOrThrow()
  ).person_id
  // A case with expert consultations, so the detail shows them.
  ids.case = (await db.selectFrom('case_consultations').select('case_id').orderBy('case_id').limit(1).executeTakeFirstOrThrow()).case_id
  ids.library = (
    await db
      .selectFrom('library_submissions')
      .select('id')
      .where('status', '=', 'accepted')
      .orderBy('id')
      .limit(1)
      .executeTakeFirstOrThrow()
  ).id
}, 180_000)

type Page = [name: string, loader: unknown, path: () => string, user: string, params: () => Record<string, string>]

const pages: Page[] = [
  ['people list', peopleList, () => '/people', 'load.city.staff', () => ({})],
  ['person detail', personDetail, () => `/people/${ids.person}`, 'load.city.staff', () => ({ personId: ids.person })],
  ['experts roster', expertRoster, () => '/experts', 'load.city.staff', () => ({})],
  // Ten: the session's two, the access check, the profile and its six sections (domains, terms,
  // status history, absences, conflicts, recommendations); the settings it shows come from the
  // per-process cache (app/modules/settings/cached.server.ts) once warm.
  ['expert detail', expertDetail, () => `/experts/${ids.expert}`, 'load.city.staff', () => ({ expertId: ids.expert })],
  ['case list', caseList, () => '/cases?status=all', 'load.city.staff', () => ({})],
  ['case detail', caseDetail, () => `/cases/${ids.case}`, 'load.city.staff', () => ({ caseId: ids.case })],
  ['library list', libraryList, () => '/library', 'load.mediator.1', () => ({})],
  ['library case', libraryCase, () => `/library/${ids.library}`, 'load.mediator.1', () => ({ caseKey: ids.library })],
  ['training catalogue', trainingCatalogue, () => '/training', 'load.mediator.1', () => ({})],
  [
    'training archive',
    trainingArchive,
    () => `/training/archive/${ids.mediatorPerson}`,
    'load.mediator.1',
    () => ({ personId: ids.mediatorPerson }),
  ],
]

describe(`queries per page (${testDialect()})`, () => {
  it.each(pages)(`%s runs at most ${MAX_QUERIES} queries`, async (_name, loader, path, user, params) => {
    // Warm once: module-level caches (settings, the library index) fill on a first request and
    // are shared by every later one; the figure that matters is the steady state.
    await call(loader, path(), { cookie: cookies[user], params: params() })
    const { result, queries } = await countQueries(testDb(), () => call(loader, path(), { cookie: cookies[user], params: params() }))
    expect(result.status, JSON.stringify(result.data)?.slice(0, 300)).toBe(200)
    expect(queries.length, queries.join('\n')).toBeLessThanOrEqual(MAX_QUERIES)
    expect(queries.length).toBeGreaterThan(0)
  })

  it('the list pages show many rows with the same number of queries (no query per row)', async () => {
    const rows = await call(peopleList, '/people', { cookie: cookies['load.city.staff'] })
    expect((rows.data as { rows: unknown[] }).rows.length).toBeGreaterThanOrEqual(20)
    const roster = await call(expertRoster, '/experts', { cookie: cookies['load.city.staff'] })
    expect((roster.data as { rows: unknown[] }).rows.length).toBeGreaterThanOrEqual(20)
  })
})
