/**
 * Similar cases while writing (案例推送): the resource route the form's script posts the draft to,
 * and the "查找相似案例" button of the submission pages without JavaScript. Scope-checked, and
 * nothing is ever saved.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import * as submissionRoute from '#app/routes/_app.library.submissions.$submissionId.tsx'
import * as newRoute from '#app/routes/_app.library.submissions.new.tsx'
import * as similarRoute from '#app/routes/_app.library.submissions.similar.tsx'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { createUser } from '#tests/fixtures/factories.ts'
import { type World, buildWorld, call, cookieFor } from '#tests/security/world.ts'
import type { SimilarItem } from './ui/similar-list.tsx'

let world: World
/** A second mediator (on the same committee) with a user account. */
let otherMediatorCookie: string

/** A draft being written: only some fields, about unpaid property fees. */
const DRAFT = {
  title: '业主以服务差为由拒交物业费',
  disputeType: '物业',
  summary: '',
  facts: '业主李某认为小区保洁和绿化不到位，连续两年拒交物业费，物业公司准备起诉。',
  process: '',
  result: '',
  commentary: '',
}

const count = async () =>
  Number(
    (
      await testDb()
        .selectFrom('library_submissions')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

beforeAll(async () => {
  world = await buildWorld(testDb())
  const { user } = await createUser(testDb(), {
    username: 't.mediator2',
    roles: [{ role: 'mediator' }],
    personId: world.people.hdMediator2.id,
  })
  otherMediatorCookie = await cookieFor(user.id)
})

describe(`similar cases while writing (${testDialect()})`, () => {
  it('suggests curated cases for the draft text, with reasons, and saves nothing', async () => {
    const before = await count()
    const outcome = await call(similarRoute.action, '/library/submissions/similar', { cookie: world.users.mediator.cookie, form: DRAFT })
    expect(outcome.status).toBe(200)
    const { items } = outcome.data as { items: SimilarItem[] }
    expect(items.length).toBeGreaterThan(0)
    expect(items.length).toBeLessThanOrEqual(5)
    expect(items.slice(0, 3).map((i) => i.key)).toContain('wuye-qianfei-beikaobei')
    const top = items.find((i) => i.key === 'wuye-qianfei-beikaobei')!
    expect(top.sameType).toBe(true)
    expect(await count()).toBe(before)
  })

  it('follows the text: a different draft gets different suggestions', async () => {
    const outcome = await call(similarRoute.action, '/library/submissions/similar', {
      cookie: world.users.mediator.cookie,
      form: { title: '外卖骑手撞伤行人', facts: '电动自行车在人行横道撞伤老人，交强险和医疗费如何赔偿。' },
    })
    const { items } = outcome.data as { items: SimilarItem[] }
    expect(items.map((i) => i.key)).not.toContain('wuye-qianfei-beikaobei')
    expect(items.some((i) => i.disputeType === '道路交通事故')).toBe(true)
  })

  it('refuses anonymous visitors, users who do not write cases, and other authors’ submissions', async () => {
    const anonymous = await call(similarRoute.action, '/library/submissions/similar', { form: DRAFT })
    expect(anonymous.status).toBe(302)
    expect(anonymous.location).toMatch(/^\/login/)
    const reviewer = await call(similarRoute.action, '/library/submissions/similar', { cookie: world.users.reviewer.cookie, form: DRAFT })
    expect(reviewer.status).toBe(403)
    // A saved draft of the mediator's: its author may ask with its id, another mediator may not.
    const saved = await call(newRoute.action, '/library/submissions/new', {
      cookie: world.users.mediator.cookie,
      form: {
        ...DRAFT,
        intent: 'save',
        regionCode: '110108',
        year: '2025',
        source: '当事人申请',
        outcome: '书面协议',
        amountRange: '1万以下',
        techniques: ['引导协商'],
        summary: '业主拒交物业费，调解后补交。',
        process: '调解员分别听取意见。',
        result: '业主补交物业费。',
        commentary: '先解决服务问题。',
      },
    })
    expect(saved.status).toBe(302)
    const submissionId = saved.location!.split('/').pop()!
    const own = await call(similarRoute.action, '/library/submissions/similar', {
      cookie: world.users.mediator.cookie,
      form: { ...DRAFT, submissionId },
    })
    expect(own.status).toBe(200)
    const other = await call(similarRoute.action, '/library/submissions/similar', {
      cookie: otherMediatorCookie,
      form: { ...DRAFT, submissionId },
    })
    expect(other.status).toBe(404)
    // Input that breaks the limits is refused, not searched.
    const huge = await call(similarRoute.action, '/library/submissions/similar', {
      cookie: world.users.mediator.cookie,
      form: { ...DRAFT, facts: '物业费'.repeat(10_000) },
    })
    expect(huge.status).toBe(400)
  })

  it('without JavaScript: "查找相似案例" on a new case keeps the draft as typed and saves nothing', async () => {
    const before = await count()
    const outcome = await call(newRoute.action, '/library/submissions/new', {
      cookie: world.users.mediator.cookie,
      form: { ...DRAFT, intent: 'similar', regionCode: '110108' },
    })
    expect(outcome.status).toBe(200)
    const result = outcome.data as { result: { initialValue: Record<string, unknown>; error?: unknown }; similar: SimilarItem[] }
    expect(result.result.initialValue.title).toBe(DRAFT.title)
    expect(result.result.initialValue.facts).toBe(DRAFT.facts)
    expect(result.result.error).toBeUndefined()
    expect(result.similar.slice(0, 3).map((i) => i.key)).toContain('wuye-qianfei-beikaobei')
    expect(await count()).toBe(before)
  })

  it('without JavaScript: on a saved draft, the edited text is compared, the draft itself left unchanged', async () => {
    const created = await call(newRoute.action, '/library/submissions/new', {
      cookie: world.users.mediator.cookie,
      form: {
        intent: 'save',
        title: '邻居装修噪音扰民',
        disputeType: '邻里',
        regionCode: '110108',
        year: '2025',
        source: '当事人申请',
        outcome: '书面协议',
        amountRange: '1万以下',
        techniques: ['引导协商'],
        summary: '装修噪音，调解后约定施工时间。',
        facts: '楼上装修噪音大。',
        process: '调解员上门。',
        result: '约定施工时间。',
        commentary: '邻里纠纷宜早调。',
      },
    })
    const id = created.location!.split('/').pop()!
    const before = await testDb()
      .selectFrom('library_submissions')
      .select(['version', 'title'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    const outcome = await call(submissionRoute.action, `/library/submissions/${id}`, {
      cookie: world.users.mediator.cookie,
      params: { submissionId: id },
      form: { ...DRAFT, intent: 'similar', version: String(before.version) },
    })
    expect(outcome.status).toBe(200)
    const data = outcome.data as { form: string; result: { initialValue: Record<string, unknown> }; similar: SimilarItem[] }
    expect(data.form).toBe('edit')
    expect(data.result.initialValue.title).toBe(DRAFT.title)
    expect(data.similar.slice(0, 3).map((i) => i.key)).toContain('wuye-qianfei-beikaobei')
    const after = await testDb()
      .selectFrom('library_submissions')
      .select(['version', 'title'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(after).toEqual(before)
    // A reviewer cannot use the author's button on the submission.
    const reviewer = await call(submissionRoute.action, `/library/submissions/${id}`, {
      cookie: world.users.reviewer.cookie,
      params: { submissionId: id },
      form: { ...DRAFT, intent: 'similar' },
    })
    expect(reviewer.status).not.toBe(200)
  })
})
