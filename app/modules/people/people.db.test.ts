import { beforeAll, describe, expect, it } from 'vitest'
import * as detailRoute from '#app/routes/_app.people.$personId.tsx'
import * as editRoute from '#app/routes/_app.people.$personId.edit.tsx'
import * as listRoute from '#app/routes/_app.people._index.tsx'
import * as newRoute from '#app/routes/_app.people.new.tsx'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { createPerson, validIdNumber } from '#tests/fixtures/factories.ts'
import { type World, type WorldUser, buildWorld, call, serialized } from '#tests/security/world.ts'

let world: World

beforeAll(async () => {
  world = await buildWorld(testDb())
})

const cookie = (user: WorldUser) => world.users[user].cookie

async function auditRows(action: string, recordId?: string) {
  let q = testDb().selectFrom('audit_log').selectAll().where('action', '=', action)
  if (recordId) q = q.where('record_id', '=', recordId)
  return q.orderBy('id').execute()
}

interface ListData {
  rows: { id: string; name: string; phoneMasked: string | null }[]
  total: number
}

async function listIds(user: WorldUser, query = ''): Promise<string[]> {
  const outcome = await call(listRoute.loader, `/people${query}`, { cookie: cookie(user) })
  expect(outcome.status).toBe(200)
  const data = outcome.data as ListData
  expect(data.total).toBe(data.rows.length)
  return data.rows.map((r) => r.id).sort()
}

describe(`mediator list scope (${testDialect()})`, () => {
  it('shows bureau staff their region subtree only', async () => {
    const { hdMediator, hdMediator2, hdOther, cyMediator } = world.people
    expect(await listIds('hdStaff')).toEqual([hdMediator.id, hdMediator2.id, hdOther.id].sort())
    expect(await listIds('cyStaff')).toEqual([cyMediator.id])
    expect(await listIds('bjStaff')).toEqual([hdMediator.id, hdMediator2.id, hdOther.id, cyMediator.id].sort())
    expect(await listIds('admin')).toEqual([hdMediator.id, hdMediator2.id, hdOther.id, cyMediator.id].sort())
  })

  it('limits an organisation manager to their organisation and an association admin to its region', async () => {
    const { hdMediator, hdMediator2, hdOther } = world.people
    expect(await listIds('hdManager')).toEqual([hdMediator.id, hdMediator2.id].sort())
    expect(await listIds('hdAssoc')).toEqual([hdMediator.id, hdMediator2.id, hdOther.id].sort())
  })

  it('shows a mediator only themselves, and refuses roles without person:view', async () => {
    expect(await listIds('mediator')).toEqual([world.people.hdMediator.id])
    for (const user of ['auditor', 'reviewer', 'noGrants'] as const) {
      const outcome = await call(listRoute.loader, '/people', { cookie: cookie(user) })
      expect(outcome.status, user).toBe(403)
    }
  })

  it('filters by region, organisation, employment and search, within scope', async () => {
    const { hdMediator, hdMediator2, cyMediator } = world.people
    expect(await listIds('bjStaff', '?region=110105')).toEqual([cyMediator.id])
    expect(await listIds('bjStaff', `?org=${world.orgs.hdCommittee}`)).toEqual([hdMediator.id, hdMediator2.id].sort())
    expect(await listIds('bjStaff', '?employment=full_time')).toEqual([hdMediator.id])
    expect(await listIds('bjStaff', `?q=${encodeURIComponent(cyMediator.name)}`)).toContain(cyMediator.id)
    // A filter naming a region outside the scope narrows nothing into view.
    expect(await listIds('hdStaff', '?region=110105')).toEqual([])
    expect(await listIds('hdStaff', `?org=${world.orgs.cyCommittee}`)).toEqual([])
  })

  it('searches by work-card number and treats LIKE wildcards literally', async () => {
    const card = await testDb()
      .selectFrom('mediators')
      .select('card_number')
      .where('person_id', '=', world.people.hdMediator2.id)
      .executeTakeFirstOrThrow()
    expect(await listIds('bjStaff', `?q=${encodeURIComponent(card.card_number!)}`)).toEqual([world.people.hdMediator2.id])
    expect(await listIds('bjStaff', '?q=%25')).toEqual([])
  })

  it('offers only regions and organisations in scope in the filters', async () => {
    const outcome = await call(listRoute.loader, '/people', { cookie: cookie('hdStaff') })
    const data = outcome.data as { regions: { code: string }[]; orgs: { id: string }[] }
    expect(data.regions.map((r) => r.code)).toContain('110108')
    expect(data.regions.every((r) => r.code.startsWith('110108'))).toBe(true)
    expect(data.orgs.map((o) => o.id)).not.toContain(world.orgs.cyCommittee)
  })
})

describe(`person profile scope (${testDialect()})`, () => {
  it('answers 404 to Haidian staff opening a Chaoyang person, and logs the attempt', async () => {
    const target = world.people.cyMediator.id
    const outcome = await call(detailRoute.loader, `/people/${target}`, { cookie: cookie('hdStaff'), params: { personId: target } })
    expect(outcome.status).toBe(404)
    expect(outcome.data).toBeNull()
    const rows = await auditRows('authz.out_of_scope', target)
    expect(rows.map((r) => r.user_id)).toContain(world.users.hdStaff.id)
    expect(rows.find((r) => r.user_id === world.users.hdStaff.id)).toMatchObject({ result: 'denied', record_type: 'person' })
  })

  it('answers 404 to a mediator opening another mediator', async () => {
    const target = world.people.hdMediator2.id
    const outcome = await call(detailRoute.loader, `/people/${target}`, { cookie: cookie('mediator'), params: { personId: target } })
    expect(outcome.status).toBe(404)
    expect((await auditRows('authz.out_of_scope', target)).map((r) => r.user_id)).toContain(world.users.mediator.id)
  })

  it('shows a mediator their own profile, also through /people/me', async () => {
    const own = world.people.hdMediator
    const outcome = await call(detailRoute.loader, `/people/${own.id}`, { cookie: cookie('mediator'), params: { personId: own.id } })
    expect(outcome.status).toBe(200)
    expect(outcome.data).toMatchObject({ person: { id: own.id, name: own.name }, canEdit: false, canReveal: false, canList: false })
    const me = await call(detailRoute.loader, '/people/me', { cookie: cookie('mediator'), params: { personId: 'me' } })
    expect(me).toMatchObject({ status: 302, location: `/people/${own.id}` })
  })

  it('limits an organisation manager to their own organisation', async () => {
    const other = world.people.hdOther.id
    const denied = await call(detailRoute.loader, `/people/${other}`, { cookie: cookie('hdManager'), params: { personId: other } })
    expect(denied.status).toBe(404)
    const own = world.people.hdMediator2.id
    const allowed = await call(detailRoute.loader, `/people/${own}`, { cookie: cookie('hdManager'), params: { personId: own } })
    expect(allowed.status).toBe(200)
    expect(allowed.data).toMatchObject({ canEdit: true, canReveal: false })
    const editOther = await call(editRoute.loader, `/people/${other}/edit`, { cookie: cookie('hdManager'), params: { personId: other } })
    expect(editOther.status).toBe(404)
  })
})

describe(`revealing a full number (${testDialect()})`, () => {
  const reveal = (user: WorldUser, personId: string, field: 'idNumber' | 'phone') =>
    call(detailRoute.action, `/people/${personId}`, { cookie: cookie(user), params: { personId }, form: { intent: 'reveal', field } })

  it('returns the full ID number to an administrator and audits it with the masked value only', async () => {
    const person = world.people.cyMediator
    const outcome = await reveal('admin', person.id, 'idNumber')
    expect(outcome.status).toBe(200)
    expect(outcome.data).toEqual({ revealed: { field: 'idNumber', value: person.idNumber } })
    const rows = (await auditRows('person.reveal', person.id)).filter((r) => r.user_id === world.users.admin.id)
    expect(rows).toHaveLength(1)
    expect(JSON.parse(rows[0]!.detail!)).toEqual({ field: 'idNumber', masked: person.id_number_masked })
    expect(rows[0]!.detail).not.toContain(person.idNumber!)
  })

  it('returns the phone to bureau staff in scope, and 404 outside it', async () => {
    const inScope = world.people.hdMediator
    const ok = await reveal('hdStaff', inScope.id, 'phone')
    expect(ok.data).toEqual({ revealed: { field: 'phone', value: inScope.phone } })
    expect((await auditRows('person.reveal', inScope.id)).map((r) => r.user_id)).toContain(world.users.hdStaff.id)

    const outside = world.people.cyMediator
    const before = (await auditRows('person.reveal', outside.id)).length
    const denied = await reveal('hdStaff', outside.id, 'phone')
    expect(denied.status).toBe(404)
    expect(serialized(denied)).not.toContain(outside.phone!)
    expect(await auditRows('person.reveal', outside.id)).toHaveLength(before)
  })

  it('refuses association admins, organisation managers and mediators (403, logged, nothing revealed)', async () => {
    const person = world.people.hdMediator
    for (const user of ['hdAssoc', 'hdManager', 'mediator'] as const) {
      const before = (await auditRows('person.reveal', person.id)).length
      const outcome = await reveal(user, person.id, 'idNumber')
      expect(outcome.status, user).toBe(403)
      expect(serialized(outcome)).not.toContain(person.idNumber!)
      expect(await auditRows('person.reveal', person.id)).toHaveLength(before)
      const denials = await testDb().selectFrom('audit_log').select('user_id').where('action', '=', 'authz.forbidden').execute()
      expect(denials.map((d) => d.user_id)).toContain(world.users[user].id)
    }
  })
})

describe(`personal numbers never reach loader data (${testDialect()})`, () => {
  it('holds no full ID or phone number in list, profile or edit data for any role', async () => {
    const everyone = Object.values(world.people)
    const secrets = everyone.flatMap((p) => [p.idNumber!, p.phone!])
    for (const user of Object.keys(world.users) as WorldUser[]) {
      const pages = [
        await call(listRoute.loader, '/people?size=100', { cookie: cookie(user) }),
        ...(await Promise.all(
          everyone.flatMap((p) => [
            call(detailRoute.loader, `/people/${p.id}`, { cookie: cookie(user), params: { personId: p.id } }),
            call(editRoute.loader, `/people/${p.id}/edit`, { cookie: cookie(user), params: { personId: p.id } }),
          ]),
        )),
      ]
      const json = pages.map(serialized).join('\n')
      for (const secret of secrets) expect(json, `${user} received a full number`).not.toContain(secret)
    }
    // The check above is meaningful: some of those pages did carry the masked numbers.
    const admin = await call(detailRoute.loader, `/people/${world.people.hdMediator.id}`, {
      cookie: cookie('admin'),
      params: { personId: world.people.hdMediator.id },
    })
    expect(serialized(admin)).toContain(world.people.hdMediator.id_number_masked!)
    expect(serialized(admin)).toContain(world.people.hdMediator.phone_masked!)
  })
})

describe(`registering a mediator (${testDialect()})`, () => {
  let seq = 100
  const newIdNumber = (birth = '1985-06-15', gender: 'male' | 'female' = 'male') => validIdNumber(HD, birth, seq++, gender)
  const HD = '110108'

  function form(overrides: Record<string, string> = {}) {
    return {
      name: '王测试',
      idNumber: newIdNumber(),
      phone: '13912345678',
      orgId: world.orgs.hdCommittee,
      employment: 'full_time',
      cardNumber: `T-${seq++}`,
      ...overrides,
    }
  }

  const create = (user: WorldUser, values: Record<string, string>) =>
    call(newRoute.action, '/people/new', { cookie: cookie(user), form: values })

  it('creates the person and mediator rows, derives birth date and gender, seals the numbers and audits masked values', async () => {
    const values = form({ idNumber: validIdNumber(HD, '1979-02-28', seq++, 'female'), phone: '139 1234 0000' })
    const outcome = await create('hdStaff', values)
    expect(outcome.status).toBe(302)
    const id = outcome.location!.split('/').pop()!
    const person = await testDb().selectFrom('people').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(person).toMatchObject({
      name: '王测试',
      gender: 'female',
      birth_date: '1979-02-28',
      region_code: HD,
      org_id: world.orgs.hdCommittee,
    })
    expect(person.id_number_masked).toBe(`${values.idNumber.slice(0, 6)}********${values.idNumber.slice(-4)}`)
    expect(person.phone_masked).toBe('139****0000')
    // The people table holds no plaintext numbers.
    const stored = JSON.stringify(person)
    expect(stored).not.toContain(values.idNumber)
    expect(stored).not.toContain('13912340000')
    const mediator = await testDb().selectFrom('mediators').selectAll().where('person_id', '=', id).executeTakeFirstOrThrow()
    expect(mediator).toMatchObject({
      org_id: world.orgs.hdCommittee,
      employment: 'full_time',
      card_number: values.cardNumber,
      status: 'active',
    })
    const [row] = await auditRows('person.create', id)
    expect(row).toMatchObject({ user_id: world.users.hdStaff.id, result: 'ok' })
    expect(row!.detail).toContain(person.id_number_masked!)
    expect(row!.detail).not.toContain(values.idNumber)
    expect(row!.detail).not.toContain('13912340000')
  })

  it('rejects invalid ID numbers with one message per problem and keeps what the user typed', async () => {
    const valid = newIdNumber()
    const checksumWrong = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0')
    const badBirth = validIdNumber(HD, '1985-06-15', 1, 'male').replace('19850615', '19851345')
    const cases: [string, string][] = [
      ['11010819850615', 'validation.idNumber.format'],
      [badBirth, 'validation.idNumber.birthDate'],
      [checksumWrong, 'validation.idNumber.checksum'],
    ]
    const count = async () =>
      Number(
        (
          await testDb()
            .selectFrom('people')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    const before = await count()
    for (const [idNumber, key] of cases) {
      const values = form({ idNumber, name: '赵填写' })
      const outcome = await create('hdStaff', values)
      expect(outcome.status, idNumber).toBe(400)
      const result = outcome.data as { error: Record<string, string[]>; initialValue: Record<string, string> }
      expect(result.error.idNumber).toEqual([key])
      expect(result.initialValue).toMatchObject({ name: '赵填写', idNumber, cardNumber: values.cardNumber })
    }
    expect(await count()).toBe(before)
  })

  it('rejects a birth date or gender that contradicts the ID number', async () => {
    const outcome = await create(
      'hdStaff',
      form({ idNumber: newIdNumber('1990-01-01', 'male'), birthDate: '1990-01-02', gender: 'female' }),
    )
    expect(outcome.status).toBe(400)
    const result = outcome.data as { error: Record<string, string[]> }
    expect(result.error.birthDate).toEqual(['people.error.birthDateMismatch'])
    expect(result.error.gender).toEqual(['people.error.genderMismatch'])
  })

  it('refuses a duplicate ID number, linking the holder only when the user may see them', async () => {
    const visible = world.people.hdMediator
    const seen = await create('hdStaff', form({ idNumber: visible.idNumber!.toLowerCase() }))
    expect(seen.status).toBe(400)
    expect(seen.data).toMatchObject({
      error: { idNumber: ['people.error.duplicateId'] },
      duplicateOf: { id: visible.id, name: visible.name },
    })

    const hidden = world.people.cyMediator
    const unseen = await create('hdStaff', form({ idNumber: hidden.idNumber! }))
    expect(unseen.status).toBe(400)
    expect(unseen.data).toMatchObject({ error: { idNumber: ['people.error.duplicateIdHidden'] } })
    expect(serialized(unseen)).not.toContain(hidden.id)
    expect(serialized(unseen)).not.toContain(hidden.name)
  })

  it('refuses an organisation outside the scope and logs it', async () => {
    const values = form({ orgId: world.orgs.cyCommittee })
    const outcome = await create('hdStaff', values)
    expect(outcome.status).toBe(400)
    expect(outcome.data).toMatchObject({ error: { orgId: ['people.error.orgOutOfScope'] } })
    expect((await auditRows('authz.out_of_scope', world.orgs.cyCommittee)).map((r) => r.user_id)).toContain(world.users.hdStaff.id)
    const made = await testDb().selectFrom('mediators').select('person_id').where('card_number', '=', values.cardNumber).execute()
    expect(made).toEqual([])
  })

  it('lets an organisation manager register for their own organisation only', async () => {
    const own = await create('hdManager', form())
    expect(own.status).toBe(302)
    const other = await create('hdManager', form({ orgId: world.orgs.hdCommittee2 }))
    expect(other.status).toBe(400)
    expect(await call(newRoute.loader, '/people/new', { cookie: cookie('hdAssoc') })).toMatchObject({ status: 403 })
  })

  it('lets one of several racing registrations of the same person win; the rest get a validation error', async () => {
    const idNumber = newIdNumber('1972-03-04')
    const outcomes = await Promise.all(Array.from({ length: 4 }, () => create('hdStaff', form({ idNumber, name: '并发测试' }))))
    expect(outcomes.map((o) => o.status).sort()).toEqual([302, 400, 400, 400])
    for (const o of outcomes.filter((o) => o.status === 400)) {
      expect((o.data as { error: Record<string, string[]> }).error.idNumber![0]).toMatch(/^people\.error\.duplicateId/)
    }
    expect(await testDb().selectFrom('people').select('id').where('name', '=', '并发测试').execute()).toHaveLength(1)
  })

  it('rolls back the person when the mediator insert fails (duplicate work card)', async () => {
    const taken = await testDb()
      .selectFrom('mediators')
      .select('card_number')
      .where('person_id', '=', world.people.hdMediator.id)
      .executeTakeFirstOrThrow()
    const values = form({ cardNumber: taken.card_number!, name: '回滚测试' })
    const outcome = await create('hdStaff', values)
    expect(outcome.status).toBe(400)
    expect(outcome.data).toMatchObject({ error: { cardNumber: ['people.error.duplicateCard'] } })
    expect(await testDb().selectFrom('people').select('id').where('name', '=', '回滚测试').execute()).toEqual([])
    const stillFree = await create('hdStaff', { ...values, cardNumber: `T-${seq++}` })
    expect(stillFree.status).toBe(302)
  })
})

describe(`editing a mediator (${testDialect()})`, () => {
  async function current(id: string) {
    return testDb().selectFrom('people').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  }

  function editForm(person: { name: string; org_id: string | null }, version: number, overrides: Record<string, string> = {}) {
    return { name: person.name, orgId: person.org_id!, employment: 'part_time', status: 'active', version: String(version), ...overrides }
  }

  it('sends the form no full numbers and keeps them when the fields are left blank', async () => {
    const target = world.people.hdMediator2
    const page = await call(editRoute.loader, `/people/${target.id}/edit`, { cookie: cookie('hdStaff'), params: { personId: target.id } })
    expect(page.status).toBe(200)
    expect(page.data).toMatchObject({ masked: { idNumber: target.id_number_masked, phone: target.phone_masked } })
    const before = await current(target.id)
    const outcome = await call(editRoute.action, `/people/${target.id}/edit`, {
      cookie: cookie('hdStaff'),
      params: { personId: target.id },
      form: editForm(before, before.version, { name: '改名测试', phone: '13800001111' }),
    })
    expect(outcome.status).toBe(302)
    const after = await current(target.id)
    expect(after).toMatchObject({ name: '改名测试', version: before.version + 1, phone_masked: '138****1111' })
    expect(after.id_number_enc).toBe(before.id_number_enc)
    expect(after.id_number_hash).toBe(before.id_number_hash)
    const [row] = await auditRows('person.update', target.id)
    expect(JSON.parse(row!.detail!)).toMatchObject({
      before: { name: before.name },
      after: { name: '改名测试', phone_masked: '138****1111' },
    })
    expect(row!.detail).not.toContain('13800001111')
  })

  it('edits mediators only: another person in scope has no edit page', async () => {
    const other = await createPerson(testDb(), { region_code: '110108', org_id: world.orgs.hdCommittee })
    const page = await call(detailRoute.loader, `/people/${other.id}`, { cookie: cookie('hdStaff'), params: { personId: other.id } })
    expect(page.data).toMatchObject({ person: { id: other.id, mediator: null }, canEdit: false })
    const edit = await call(editRoute.loader, `/people/${other.id}/edit`, { cookie: cookie('hdStaff'), params: { personId: other.id } })
    expect(edit.status).toBe(404)
  })

  it('refuses a stale version and overwrites nothing', async () => {
    const target = world.people.hdOther
    const before = await current(target.id)
    const first = await call(editRoute.action, `/people/${target.id}/edit`, {
      cookie: cookie('hdStaff'),
      params: { personId: target.id },
      form: editForm(before, before.version, { name: '先保存' }),
    })
    expect(first.status).toBe(302)
    const second = await call(editRoute.action, `/people/${target.id}/edit`, {
      cookie: cookie('bjStaff'),
      params: { personId: target.id },
      form: editForm(before, before.version, { name: '后保存', employment: 'full_time' }),
    })
    expect(second.status).toBe(409)
    expect(second.data).toMatchObject({ error: { '': ['form.staleVersion'] }, initialValue: { name: '后保存' } })
    const after = await current(target.id)
    expect(after).toMatchObject({ name: '先保存', version: before.version + 1 })
    const mediator = await testDb()
      .selectFrom('mediators')
      .select('employment')
      .where('person_id', '=', target.id)
      .executeTakeFirstOrThrow()
    expect(mediator.employment).toBe('part_time')
  })

  it('refuses another person’s ID number on edit', async () => {
    const target = world.people.hdOther
    const before = await current(target.id)
    const outcome = await call(editRoute.action, `/people/${target.id}/edit`, {
      cookie: cookie('hdStaff'),
      params: { personId: target.id },
      form: editForm(before, before.version, { idNumber: world.people.hdMediator.idNumber! }),
    })
    expect(outcome.status).toBe(400)
    expect(outcome.data).toMatchObject({ error: { idNumber: ['people.error.duplicateId'] } })
    expect((await current(target.id)).id_number_hash).toBe(before.id_number_hash)
  })
})
