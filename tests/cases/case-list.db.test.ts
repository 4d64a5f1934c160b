/**
 * The case list pages by keyset (newest first): forward and back without skipping or repeating a
 * case, keeping the filters in the links, inside the caller's scope only.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { createCase } from '#app/modules/cases/cases.server.ts'
import { loader } from '#app/routes/_app.cases._index.tsx'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { type World, buildWorld, call } from '#tests/security/world.ts'
import { caseInput } from '#tests/fixtures/cases.ts'

let world: World
const haidian: string[] = []

function input(title: string, orgId: string, regionCode: string) {
  return caseInput({ orgId, regionCode }, { title, summary: '分页测试', disputeType: '医疗', source: 'party' })
}

interface ListData {
  cases: { id: string; title: string }[]
  pages: { first: string | null; previous: string | null; next: string | null }
}

async function list(search: string): Promise<ListData> {
  const outcome = await call(loader, `/cases${search}`, { cookie: world.users.hdStaff.cookie })
  expect(outcome.status).toBe(200)
  return outcome.data as ListData
}

beforeAll(async () => {
  world = await buildWorld(testDb())
  // 65 Haidian cases a minute apart (two full pages of 30 and five more), one in Chaoyang.
  for (let i = 0; i < 65; i++) {
    const at = new Date(Date.UTC(2026, 10, 1, 8, i)).toISOString()
    const created = await createCase(testDb(), input(`分页案件${String(i).padStart(2, '0')}`, world.orgs.hdCommittee, '110108'), null, at)
    haidian.unshift(created.id)
  }
  await createCase(testDb(), input('朝阳案件', world.orgs.cyCommittee, '110105'), null, new Date(Date.UTC(2026, 10, 2)).toISOString())
})

describe(`the case list (${testDialect()})`, () => {
  it('walks forward and back through pages of 30, newest first, within scope', async () => {
    const first = await list('?status=all')
    expect(first.cases.map((c) => c.id)).toEqual(haidian.slice(0, 30))
    expect(first.pages.previous).toBeNull()
    expect(first.pages.next).toMatch(/^\?status=all&after=/)

    const second = await list(first.pages.next!)
    expect(second.cases.map((c) => c.id)).toEqual(haidian.slice(30, 60))
    const third = await list(second.pages.next!)
    expect(third.cases.map((c) => c.id)).toEqual(haidian.slice(60))
    expect(third.pages.next).toBeNull()

    const back = await list(third.pages.previous!)
    expect(back.cases.map((c) => c.id)).toEqual(haidian.slice(30, 60))
    expect(back.pages.first).toBe('?status=all')
    const all = [first, second, third].flatMap((p) => p.cases.map((c) => c.title))
    expect(all).not.toContain('朝阳案件')
  })

  it('keeps the search in the page links and ignores a forged cursor', async () => {
    const found = await list('?status=all&q=%E5%88%86%E9%A1%B5%E6%A1%88%E4%BB%B606')
    expect(found.cases.map((c) => c.title)).toEqual(['分页案件06'])
    expect(found.pages.next).toBeNull()
    const forged = await list("?status=all&after=x'%20or%201=1")
    expect(forged.cases.map((c) => c.id)).toEqual(haidian.slice(0, 30))
  })
})
