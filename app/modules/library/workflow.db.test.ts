import { beforeAll, describe, expect, it } from 'vitest'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { createUser } from '#tests/fixtures/factories.ts'
import { type World, buildWorld, call, cookieFor } from '#tests/security/world.ts'
import { newId } from '#app/lib/ids.ts'
import { writeSetting } from '#app/lib/settings.server.ts'
import * as caseRoute from '#app/routes/_app.library.$caseKey.tsx'
import * as indexRoute from '#app/routes/_app.library._index.tsx'
import * as submissionRoute from '#app/routes/_app.library.submissions.$submissionId.tsx'
import * as listRoute from '#app/routes/_app.library.submissions._index.tsx'
import * as newRoute from '#app/routes/_app.library.submissions.new.tsx'
import { curatedCases } from './curated.server.ts'
import { CHECK_INTERVAL_MS, INDEX_VERSION, libraryIndex } from './index.server.ts'
import { libraryEvidence } from './submissions.server.ts'

let world: World

const FORM = {
  title: '共享单车押金难退，调解促成平台分期退还',
  disputeType: '消费',
  domains: ['消费', '电子商务'],
  regionCode: '110108',
  year: '2025',
  source: '当事人申请',
  outcome: '书面协议',
  amountRange: '1万以下',
  techniques: ['释法明理', '引导协商'],
  legalBasis: '消费者权益保护法第二十四条、人民调解法第31条',
  tags: '押金、共享单车',
  summary: '用户押金迟迟不退，调解员联系平台运营方，促成分期退还。',
  facts: '刘某在某共享单车平台缴纳押金199元，申请退还三个月未果。独特词蓝鲸骑行。',
  process: '调解员**耐心倾听**，并联系平台。\n\n<script>alert(1)</script>\n\n[点我](javascript:alert(1))',
  result: '平台同意十日内退还押金。',
  commentary: '押金类消费纠纷应依法及时处理。',
}

async function submitAsMediator(extra: Record<string, string | string[]> = {}): Promise<string> {
  const outcome = await call(newRoute.action, '/library/submissions/new', {
    cookie: world.users.mediator.cookie,
    form: { ...FORM, intent: 'submit', ...extra },
  })
  expect(outcome.status).toBe(302)
  const id = outcome.location!.split('/').pop()!
  expect(id).toMatch(/^[0-9A-Z]{26}$/)
  return id
}

async function row(id: string) {
  return testDb().selectFrom('library_submissions').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

const review = (intent: 'accept' | 'return', version: number) => ({
  intent,
  version: String(version),
  truthfulness: '5',
  typicality: '4',
  procedure: '5',
  novelty: '3',
  readability: '4',
  exemplary: '5',
  comments: intent === 'accept' ? '事实清楚，评析到位。' : '请补充调解过程细节。',
})

beforeAll(async () => {
  world = await buildWorld(testDb())
})

describe(`library workflow (${testDialect()})`, () => {
  it('a mediator submits; the snapshot is kept; Markdown is sanitised in the preview', async () => {
    const id = await submitAsMediator()
    const stored = await row(id)
    expect(stored).toMatchObject({
      status: 'submitted',
      revision: 1,
      author_person_id: world.people.hdMediator.id,
      scope_region_code: '110108',
    })
    expect(JSON.parse(stored.legal_basis)).toEqual(['消费者权益保护法第24条', '人民调解法第31条'])
    const versions = await testDb().selectFrom('library_submission_versions').selectAll().where('submission_id', '=', id).execute()
    expect(versions.map((v) => v.revision)).toEqual([1])
    const page = await call(submissionRoute.loader, `/library/submissions/${id}`, {
      params: { submissionId: id },
      cookie: world.users.mediator.cookie,
    })
    const preview = (page.data as { preview: string }).preview
    expect(preview).toContain('<strong>耐心倾听</strong>')
    expect(preview).toContain('&lt;script&gt;')
    expect(preview).not.toContain('<script')
    expect(preview).not.toContain('javascript:')
  })

  it('refuses reviews from outside the scope (404) and from users without the permission (403)', async () => {
    const id = await submitAsMediator()
    const { version } = await row(id)
    const opts = (user: keyof World['users']) => ({ params: { submissionId: id }, cookie: world.users[user].cookie })
    expect((await call(submissionRoute.loader, `/library/submissions/${id}`, opts('cyStaff'))).status).toBe(404)
    const refused = await call(submissionRoute.action, `/library/submissions/${id}`, {
      ...opts('cyStaff'),
      form: review('accept', version),
    })
    expect(refused.status).toBe(404)
    expect(
      (await call(submissionRoute.action, `/library/submissions/${id}`, { ...opts('expert'), form: review('accept', version) })).status,
    ).toBe(403)
    expect((await row(id)).status).toBe('submitted')
    // In scope: the Haidian association sees it in its queue and may open it.
    const queue = await call(listRoute.loader, '/library/submissions', { cookie: world.users.hdAssoc.cookie })
    expect((queue.data as { queue: { id: string }[] }).queue.map((s) => s.id)).toContain(id)
    const cyQueue = await call(listRoute.loader, '/library/submissions', { cookie: world.users.cyStaff.cookie })
    expect((cyQueue.data as { queue: { id: string }[] }).queue.map((s) => s.id)).not.toContain(id)
    expect((await call(submissionRoute.loader, `/library/submissions/${id}`, opts('hdAssoc'))).status).toBe(200)
  })

  it('limits reviewers (评审专家) to their region: Haidian in the queue, Chaoyang a 404; no region reaches nothing', async () => {
    const hdId = await submitAsMediator()
    // A Chaoyang mediator's submission.
    const { user: cyAuthor } = await createUser(testDb(), {
      username: 't.cy.library.author',
      roles: [{ role: 'mediator' }],
      personId: world.people.cyMediator.id,
    })
    const cySubmitted = await call(newRoute.action, '/library/submissions/new', {
      cookie: await cookieFor(cyAuthor.id),
      form: { ...FORM, regionCode: '110105', title: '朝阳押金纠纷调解案例', intent: 'submit' },
    })
    expect(cySubmitted.status).toBe(302)
    const cyId = cySubmitted.location!.split('/').pop()!
    expect((await row(cyId)).scope_region_code).toBe('110105')

    const reviewer = world.users.reviewer.cookie // reviewer grant scoped to 海淀 110108
    const queue = await call(listRoute.loader, '/library/submissions', { cookie: reviewer })
    const ids = (queue.data as { queue: { id: string }[] }).queue.map((s) => s.id)
    expect(ids).toContain(hdId)
    expect(ids).not.toContain(cyId)
    expect(
      (await call(submissionRoute.loader, `/library/submissions/${hdId}`, { params: { submissionId: hdId }, cookie: reviewer })).status,
    ).toBe(200)
    const outside = { params: { submissionId: cyId }, cookie: reviewer }
    expect((await call(submissionRoute.loader, `/library/submissions/${cyId}`, outside)).status).toBe(404)
    const { version } = await row(cyId)
    expect(
      (await call(submissionRoute.action, `/library/submissions/${cyId}`, { ...outside, form: review('accept', version) })).status,
    ).toBe(404)
    expect((await row(cyId)).status).toBe('submitted')
    const audited = await testDb()
      .selectFrom('audit_log')
      .select(['action', 'result'])
      .where('record_id', '=', cyId)
      .where('user_id', '=', world.users.reviewer.id)
      .execute()
    expect(audited).toContainEqual({ action: 'authz.out_of_scope', result: 'denied' })

    // A reviewer grant stored without a region (before grants were scoped) reaches nothing.
    const { user: unscoped } = await createUser(testDb(), { username: 't.reviewer.noregion.lib', roles: [] })
    await testDb()
      .insertInto('role_grants')
      .values({
        id: newId(),
        user_id: unscoped.id,
        role: 'reviewer',
        region_code: null,
        org_id: null,
        created_at: new Date().toISOString(),
        created_by: null,
      })
      .execute()
    const unscopedCookie = await cookieFor(unscoped.id)
    const empty = await call(listRoute.loader, '/library/submissions', { cookie: unscopedCookie })
    expect((empty.data as { queue: unknown[] }).queue).toEqual([])
    expect(
      (await call(submissionRoute.loader, `/library/submissions/${hdId}`, { params: { submissionId: hdId }, cookie: unscopedCookie }))
        .status,
    ).toBe(404)
  })

  it('tells the reviewer when the author edited the case during review, and saves nothing', async () => {
    const id = await submitAsMediator()
    const loaded = (await row(id)).version
    const edit = await call(submissionRoute.action, `/library/submissions/${id}`, {
      params: { submissionId: id },
      cookie: world.users.mediator.cookie,
      form: { ...FORM, intent: 'save', version: String(loaded), result: '平台同意五日内退还押金。' },
    })
    expect(edit.status).toBe(302)
    const stale = await call(submissionRoute.action, `/library/submissions/${id}`, {
      params: { submissionId: id },
      cookie: world.users.hdAssoc.cookie,
      form: review('accept', loaded),
    })
    expect(stale.status).toBe(409)
    expect(JSON.stringify(stale.data)).toContain('library.review.stale')
    expect((await row(id)).status).toBe('submitted')
    expect(await testDb().selectFrom('library_reviews').select('id').where('submission_id', '=', id).execute()).toEqual([])
  })

  it('return → revise → resubmit → accept: versions kept, published, searchable, recorded for grading', async () => {
    const id = await submitAsMediator({ facts: '刘某缴纳押金后申请退还未果。独特词青鸾骑行。' })
    const cookie = world.users.hdAssoc.cookie
    const params = { submissionId: id }
    expect(
      (
        await call(submissionRoute.action, `/library/submissions/${id}`, {
          params,
          cookie,
          form: review('return', (await row(id)).version),
        })
      ).status,
    ).toBe(302)
    expect((await row(id)).status).toBe('returned')
    const resubmit = await call(submissionRoute.action, `/library/submissions/${id}`, {
      params,
      cookie: world.users.mediator.cookie,
      form: {
        ...FORM,
        facts: '刘某缴纳押金后申请退还未果，补充了细节。独特词青鸾骑行。',
        intent: 'submit',
        version: String((await row(id)).version),
      },
    })
    expect(resubmit.status).toBe(302)
    expect(await row(id)).toMatchObject({ status: 'submitted', revision: 2 })
    const accepted = await call(submissionRoute.action, `/library/submissions/${id}`, {
      params,
      cookie,
      form: review('accept', (await row(id)).version),
    })
    expect(accepted.location).toBe(`/library/${id}`)
    const stored = await row(id)
    expect(stored.status).toBe('accepted')
    expect(stored.accepted_by).toBe(world.users.hdAssoc.id)
    const versions = await testDb()
      .selectFrom('library_submission_versions')
      .select('revision')
      .where('submission_id', '=', id)
      .orderBy('revision')
      .execute()
    expect(versions.map((v) => v.revision)).toEqual([1, 2])

    const search = await call(indexRoute.loader, `/library?q=${encodeURIComponent('青鸾骑行')}`, { cookie: world.users.expert.cookie })
    const rows = (search.data as { rows: { key: string }[] }).rows
    expect(rows[0]?.key).toBe(id)
    const page = await call(caseRoute.loader, `/library/${id}`, { params: { caseKey: id }, cookie: world.users.expert.cookie })
    expect((page.data as { body: { html: string } }).body.html).toContain('<h2 id="基本案情">基本案情</h2>')

    const evidence = await libraryEvidence(testDb(), world.people.hdMediator.id)
    expect(evidence).toContainEqual(expect.objectContaining({ submissionId: id, total: 26 }))
    expect(evidence.find((e) => e.submissionId === id)?.acceptedAt).toBe(stored.accepted_at)

    // Accepted cases are locked for their author.
    const late = await call(submissionRoute.action, `/library/submissions/${id}`, {
      params,
      cookie: world.users.mediator.cookie,
      form: { ...FORM, intent: 'save', version: String(stored.version) },
    })
    expect(late.status).toBe(409)
  })

  it('another app server notices a publication through the version stamp within the check interval', async () => {
    const db = testDb()
    const t0 = Date.now() + 60_000
    const before = await libraryIndex(db, t0)
    // Another process accepts a case: its row and a new stamp appear in the database.
    const id = await submitAsMediator({ facts: '另一台服务器发布的案例。独特词白鹭骑行。' })
    await db
      .updateTable('library_submissions')
      .set({ status: 'accepted', accepted_at: new Date().toISOString() })
      .where('id', '=', id)
      .execute()
    await writeSetting(db, INDEX_VERSION, `other-${id}`, null)
    expect((await libraryIndex(db, t0 + 10)).search('白鹭骑行')).toEqual([])
    expect(await libraryIndex(db, t0 + 10)).toBe(before)
    const after = await libraryIndex(db, t0 + CHECK_INTERVAL_MS + 10)
    expect(after.search('白鹭骑行').map((h) => h.case.key)).toEqual([id])
  })

  it('keeps private notes private and bookmarks per user', async () => {
    const key = (await curatedCases())[0]?.key
    expect(key, 'no curated case in content/cases').toBeTruthy()
    const params = { caseKey: key! }
    const saved = await call(caseRoute.action, `/library/${key}`, {
      params,
      cookie: world.users.mediator.cookie,
      form: { intent: 'note', body: '我的私人笔记：背靠背要点' },
    })
    expect(saved.status).toBe(302)
    await call(caseRoute.action, `/library/${key}`, { params, cookie: world.users.mediator.cookie, form: { intent: 'bookmark' } })
    const own = await call(caseRoute.loader, `/library/${key}`, { params, cookie: world.users.mediator.cookie })
    expect(own.data).toMatchObject({ note: '我的私人笔记：背靠背要点', bookmarked: true })
    const other = await call(caseRoute.loader, `/library/${key}`, { params, cookie: world.users.hdAssoc.cookie })
    expect(other.data).toMatchObject({ note: '', bookmarked: false })
    expect(JSON.stringify(other.data)).not.toContain('私人笔记')
    const mine = await call(indexRoute.loader, '/library?bookmarked=1', { cookie: world.users.mediator.cookie })
    expect((mine.data as { rows: { key: string }[] }).rows.map((r) => r.key)).toEqual([key])
  })

  it('creates one case when the same new-case form is posted twice', async () => {
    const key = '01JZZZZZZZZZZZZZZZZZZZZZZZ'
    const first = await call(newRoute.action, '/library/submissions/new', {
      cookie: world.users.mediator.cookie,
      form: { ...FORM, intent: 'save', submissionKey: key },
    })
    const again = await call(newRoute.action, '/library/submissions/new', {
      cookie: world.users.mediator.cookie,
      form: { ...FORM, intent: 'save', submissionKey: key },
    })
    expect(again.location).toBe(first.location)
    const rows = await testDb().selectFrom('library_submissions').select('id').where('id', '=', first.location!.split('/').pop()!).execute()
    expect(rows).toHaveLength(1)
  })

  it('rejects a submission without its sections and keeps nothing', async () => {
    const before = await testDb().selectFrom('library_submissions').select('id').execute()
    const outcome = await call(newRoute.action, '/library/submissions/new', {
      cookie: world.users.mediator.cookie,
      form: { ...FORM, intent: 'submit', facts: '', commentary: 'x'.repeat(20_001) },
    })
    expect(outcome.status).toBe(400)
    expect(JSON.stringify(outcome.data)).toContain('validation.tooLong')
    expect(await testDb().selectFrom('library_submissions').select('id').execute()).toHaveLength(before.length)
  })
})
