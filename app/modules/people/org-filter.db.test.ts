/**
 * The mediator list's organisation filter (orgFilterChoices): a select while the scope has few
 * organisations, and only the chosen one (plus a pointer to the directory) once it has too many
 * to ship on every list page.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import * as listRoute from '#app/routes/_app.people._index.tsx'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { createOrganisation } from '#tests/fixtures/factories.ts'
import { type World, buildWorld, call } from '#tests/security/world.ts'
import { ORG_FILTER_LIMIT } from './people.server.ts'

interface ListData {
  rows: { id: string }[]
  orgs: { id: string; name: string }[]
  orgsComplete: boolean
  canBrowseOrgs: boolean
}

let world: World
const ZHONGGUANCUN = '110108011'

async function list(user: 'hdStaff' | 'cyStaff' | 'hdManager', query = ''): Promise<ListData> {
  const outcome = await call(listRoute.loader, `/people${query}`, { cookie: world.users[user].cookie })
  expect(outcome.status).toBe(200)
  return outcome.data as ListData
}

beforeAll(async () => {
  world = await buildWorld(testDb())
})

describe(`mediator list organisation filter (${testDialect()})`, () => {
  it('offers every active organisation in scope while there are few', async () => {
    const data = await list('hdStaff')
    expect(data.orgsComplete).toBe(true)
    expect(data.orgs.map((o) => o.id).sort()).toEqual([world.orgs.hdCommittee, world.orgs.hdCommittee2, world.orgs.hdAssociation].sort())
    expect((await list('hdManager')).orgs.map((o) => o.id)).toEqual([world.orgs.hdCommittee])
  })

  it('offers only the chosen organisation once the scope has too many, and still filters by it', async () => {
    const db = testDb()
    for (let i = 0; i < ORG_FILTER_LIMIT; i++) {
      await createOrganisation(db, { name: `海淀批量调委会${String(i).padStart(3, '0')}`, region_code: '110108' })
    }
    const township = (await createOrganisation(db, { name: '中关村街道调委会', region_code: ZHONGGUANCUN })).id

    const all = await list('hdStaff')
    expect(all.orgsComplete).toBe(false)
    expect(all.orgs).toEqual([])
    expect(all.rows.length).toBe(3)

    const chosen = await list('hdStaff', `?org=${world.orgs.hdCommittee}`)
    expect(chosen.orgsComplete).toBe(false)
    expect(chosen.orgs).toEqual([{ id: world.orgs.hdCommittee, name: '海淀测试调委会' }])
    expect(chosen.rows.map((r) => r.id).sort()).toEqual([world.people.hdMediator.id, world.people.hdMediator2.id].sort())

    // An organisation out of scope is never offered, even when named in the URL.
    const foreign = await list('hdStaff', `?org=${world.orgs.cyCommittee}`)
    expect(foreign.orgs).toEqual([])
    expect(foreign.rows).toEqual([])

    // A region filter that narrows the organisations to a few brings the select back.
    const narrowed = await list('hdStaff', `?region=${ZHONGGUANCUN}`)
    expect(narrowed.orgsComplete).toBe(true)
    expect(narrowed.orgs.map((o) => o.id)).toEqual([township])

    // Chaoyang's staff still see their one organisation.
    const chaoyang = await list('cyStaff')
    expect(chaoyang.orgsComplete).toBe(true)
    expect(chaoyang.orgs.map((o) => o.id)).toEqual([world.orgs.cyCommittee])
  })
})

describe(`mediator list pages (${testDialect()})`, () => {
  it('keeps the total past the last page and the sort order of each column', async () => {
    const past = (await call(listRoute.loader, '/people?page=2', { cookie: world.users.bjStaff.cookie })).data as ListData & {
      total: number
    }
    expect(past.rows).toEqual([])
    expect(past.total).toBe(4)
    const empty = (await call(listRoute.loader, '/people?q=nobody-at-all', { cookie: world.users.bjStaff.cookie })).data as ListData & {
      total: number
    }
    expect(empty).toMatchObject({ rows: [], total: 0 })
    for (const [sort, key] of [
      ['name', 'name'],
      ['org', 'orgName'],
      ['region', 'regionName'],
    ] as const) {
      for (const dir of ['asc', 'desc'] as const) {
        const data = (await call(listRoute.loader, `/people?sort=${sort}&dir=${dir}`, { cookie: world.users.bjStaff.cookie })).data as {
          rows: Record<string, string>[]
          total: number
        }
        expect(data.total).toBe(4)
        const values = data.rows.map((r) => `${r[key]}\u0000${r.id}`)
        const sorted = [...values].sort()
        expect(values, `${sort} ${dir}`).toEqual(dir === 'asc' ? sorted : sorted.reverse())
      }
    }
  })
})
