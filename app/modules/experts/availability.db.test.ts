/**
 * What experts keep themselves (unavailable periods, contact preference, conflicts) through their
 * own page, what staff add on the detail page, the facts matching reads, and photos.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lookupHash } from '#app/lib/crypto.server.ts'
import { todayInChina } from '#app/lib/time.ts'
import { action as detailAction } from '#app/routes/_app.experts.$expertId._index.tsx'
import { action as photoAction, loader as photoLoader } from '#app/routes/_app.experts.$expertId.photo.tsx'
import { action as meAction } from '#app/routes/_app.me.expert.tsx'
import { createExpert } from '#db/seed/expert-pool.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { makeRequest } from '#tests/fixtures/request.ts'
import { HAIDIAN, type Pool, buildPool, freshIdNumber } from '#tests/experts/world.ts'
import { call } from '#tests/security/world.ts'
import { loadEligibilityFacts } from './queries.server.ts'
import { addDays } from './rules.ts'

let pool: Pool
const uploads = fs.mkdtempSync(path.join(os.tmpdir(), 'tiaojie-photos-'))

beforeAll(async () => {
  process.env.TIAOJIE_UPLOAD_DIR = uploads
  pool = await buildPool(testDb())
})

afterAll(() => {
  Reflect.deleteProperty(process.env, 'TIAOJIE_UPLOAD_DIR')
  fs.rmSync(uploads, { recursive: true, force: true })
})

const db = () => testDb()
const today = todayInChina()

describe(`the expert's own page (${testDialect()})`, () => {
  const me = (form: Record<string, string | number>) => call(meAction, '/me/expert', { cookie: pool.users.expert.cookie, form })
  const mine = () => pool.experts.haidian.expert.person_id

  it('adds and removes their own unavailable periods, but not those staff entered', async () => {
    const added = await me({ intent: 'unavailability.add', startDate: addDays(today, 3), endDate: addDays(today, 10), reason: '出差' })
    expect(added.status).toBe(302)
    const periods = await db().selectFrom('expert_unavailability').selectAll().where('expert_id', '=', mine()).execute()
    expect(periods).toHaveLength(1)
    expect(periods[0]).toMatchObject({ entered_by: 'expert', created_by: pool.users.expert.id, reason: '出差' })

    const past = await me({ intent: 'unavailability.add', startDate: addDays(today, -10), endDate: addDays(today, -3) })
    expect(past.status).toBe(400)

    const byStaff = await call(detailAction, `/experts/${mine()}`, {
      cookie: pool.users.hdStaff.cookie,
      params: { expertId: mine() },
      form: { intent: 'unavailability.add', startDate: addDays(today, 20), endDate: addDays(today, 25) },
    })
    expect(byStaff.status).toBe(302)
    const staffPeriod = await db()
      .selectFrom('expert_unavailability')
      .selectAll()
      .where('expert_id', '=', mine())
      .where('entered_by', '=', 'staff')
      .executeTakeFirstOrThrow()
    const refused = await me({ intent: 'unavailability.remove', periodId: staffPeriod.id })
    expect(refused.status).toBe(400)
    expect((await me({ intent: 'unavailability.remove', periodId: periods[0]!.id })).status).toBe(302)
    expect(await db().selectFrom('expert_unavailability').select('id').where('expert_id', '=', mine()).execute()).toEqual([
      { id: staffPeriod.id },
    ])
  })

  it('changes the contact preference but cannot touch tier, status or domains', async () => {
    const before = await db().selectFrom('experts').selectAll().where('person_id', '=', mine()).executeTakeFirstOrThrow()
    const saved = await me({
      intent: 'contact',
      contactPreference: 'wechat',
      contactNote: '工作日晚上',
      version: before.version,
      tier: 'national',
      status: 'removed',
      primaryDomains: '金融',
    })
    expect(saved.status).toBe(302)
    const after = await db().selectFrom('experts').selectAll().where('person_id', '=', mine()).executeTakeFirstOrThrow()
    expect(after).toMatchObject({
      contact_preference: 'wechat',
      contact_note: '工作日晚上',
      tier: before.tier,
      status: before.status,
      version: before.version + 1,
    })
    const domains = await db()
      .selectFrom('expert_domains')
      .select('dispute_type_code')
      .where('expert_id', '=', mine())
      .where('role', '=', 'primary')
      .execute()
    expect(domains).toEqual([{ dispute_type_code: '医疗' }])
    // A stale contact form changes nothing.
    const stale = await me({ intent: 'contact', contactPreference: 'sms', version: before.version })
    expect(stale.status).toBe(409)
    expect(
      (await db().selectFrom('experts').select('contact_preference').where('person_id', '=', mine()).executeTakeFirst())
        ?.contact_preference,
    ).toBe('wechat')
  })

  it('declares a conflict with a person, keeping only the hash and the mask of their ID number', async () => {
    const idNumber = freshIdNumber('1985-01-01')
    const declared = await me({ intent: 'conflict.add', kind: 'person', name: '张某', idNumber, note: '亲属' })
    expect(declared.status).toBe(302)
    const row = await db()
      .selectFrom('expert_conflicts')
      .selectAll()
      .where('expert_id', '=', mine())
      .where('name', '=', '张某')
      .executeTakeFirstOrThrow()
    expect(row.id_number_hash).toBe(lookupHash('id', idNumber))
    expect(row.id_number_masked).toBe(`${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`)
    expect(JSON.stringify(row)).not.toContain(idNumber)
    expect((await me({ intent: 'conflict.end', conflictId: row.id })).status).toBe(302)
    const ended = await db().selectFrom('expert_conflicts').select('end_date').where('id', '=', row.id).executeTakeFirstOrThrow()
    expect(ended.end_date).toBe(addDays(today, -1))
  })

  it('is refused to anyone but an expert', async () => {
    const outcome = await call(meAction, '/me/expert', {
      cookie: pool.users.hdStaff.cookie,
      form: { intent: 'contact', contactPreference: 'sms', version: 1 },
    })
    expect(outcome.status).toBe(403)
  })
})

describe(`facts for matching (${testDialect()})`, () => {
  it('makes an expired term, a suspension or an absence unavailable, and lists the employer as a conflict', async () => {
    const current = await createExpert(db(), {
      region_code: HAIDIAN,
      employer: '某律师事务所',
      term_start: addDays(today, -100),
      term_end: addDays(today, 100),
    })
    const lapsed = await createExpert(db(), { region_code: HAIDIAN, term_start: addDays(today, -400), term_end: addDays(today, -1) })
    const suspended = await createExpert(db(), {
      region_code: HAIDIAN,
      status: 'suspended',
      term_start: addDays(today, -100),
      term_end: addDays(today, 100),
    })
    const away = await createExpert(db(), { region_code: HAIDIAN, term_start: addDays(today, -100), term_end: addDays(today, 100) })
    await db()
      .insertInto('expert_unavailability')
      .values({
        id: '01JAWAY0000000000000000000',
        expert_id: away.expert.person_id,
        start_date: today,
        end_date: addDays(today, 2),
        reason: null,
        entered_by: 'staff',
        created_by: null,
        created_at: new Date().toISOString(),
      })
      .execute()
    const facts = await loadEligibilityFacts(
      db(),
      [current, lapsed, suspended, away].map((e) => e.expert.person_id),
      today,
    )
    const byId = new Map(facts.map((f) => [f.expertId, f]))
    expect(byId.get(current.expert.person_id)).toMatchObject({ available: true, reasons: [] })
    expect(byId.get(current.expert.person_id)!.conflicts[0]).toMatchObject({ source: 'employer', name: '某律师事务所' })
    expect(byId.get(lapsed.expert.person_id)!.reasons).toEqual(['termExpired'])
    expect(byId.get(suspended.expert.person_id)!.reasons).toEqual(['status'])
    expect(byId.get(away.expert.person_id)!.reasons).toEqual(['away'])
  })
})

describe(`photos (${testDialect()})`, () => {
  const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex')

  function upload(bytes: Buffer, name: string, type: string) {
    const form = new FormData()
    form.append('photo', new File([new Uint8Array(bytes)], name, { type }))
    return form
  }

  it('stores a real image under a generated name and serves it only to those who see the expert', async () => {
    const id = pool.experts.haidian.expert.person_id
    const stored = await call(photoAction, `/experts/${id}/photo`, {
      cookie: pool.users.hdStaff.cookie,
      params: { expertId: id },
      form: upload(PNG, 'me.png', 'image/png'),
    })
    expect(stored.status).toBe(302)
    const row = await db().selectFrom('experts').select(['photo_file', 'photo_type']).where('person_id', '=', id).executeTakeFirstOrThrow()
    expect(row.photo_type).toBe('image/png')
    expect(row.photo_file).toMatch(/^[0-9A-Z]{26}\.png$/)
    expect(fs.existsSync(path.join(uploads, 'experts', row.photo_file!))).toBe(true)

    const served = (await photoLoader({
      request: makeRequest(`/experts/${id}/photo`, { cookie: pool.users.hdManager.cookie }),
      params: { expertId: id },
      context: {},
    })) as Response
    expect(served.headers.get('Content-Type')).toBe('image/png')
    expect(served.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true)
    const hidden = await call(photoLoader, `/experts/${id}/photo`, { cookie: pool.users.cyStaff.cookie, params: { expertId: id } })
    expect(hidden.status).toBe(404)
  })

  it('refuses a file whose bytes are not an image, whatever it is called', async () => {
    const id = pool.experts.haidian.expert.person_id
    const before = await db().selectFrom('experts').select('photo_file').where('person_id', '=', id).executeTakeFirstOrThrow()
    const html = Buffer.from('<html><script>alert(1)</script></html>')
    const refused = await call(photoAction, `/experts/${id}/photo`, {
      cookie: pool.users.hdStaff.cookie,
      params: { expertId: id },
      form: upload(html, 'x.png', 'image/png'),
    })
    expect(refused.status).toBe(302)
    expect((await db().selectFrom('experts').select('photo_file').where('person_id', '=', id).executeTakeFirstOrThrow()).photo_file).toBe(
      before.photo_file,
    )
  })

  it('refuses a photo over the configured size while reading it', async () => {
    const id = pool.experts.haidian.expert.person_id
    await db()
      .insertInto('settings')
      .values({ key: 'experts.photoMaxBytes', value: '10000', version: 1, updated_at: new Date().toISOString(), updated_by: null })
      .execute()
    try {
      const big = Buffer.concat([PNG, Buffer.alloc(20_000)])
      const before = await db().selectFrom('experts').select('photo_file').where('person_id', '=', id).executeTakeFirstOrThrow()
      const refused = await call(photoAction, `/experts/${id}/photo`, {
        cookie: pool.users.hdStaff.cookie,
        params: { expertId: id },
        form: upload(big, 'big.png', 'image/png'),
      })
      expect(refused.status).toBe(302)
      expect((await db().selectFrom('experts').select('photo_file').where('person_id', '=', id).executeTakeFirstOrThrow()).photo_file).toBe(
        before.photo_file,
      )
    } finally {
      await db().deleteFrom('settings').where('key', '=', 'experts.photoMaxBytes').execute()
    }
  })
})
