/**
 * No mass assignment (security checklist 15): the create and edit forms of mediators, experts,
 * difficult cases and accounts are posted with every field an attacker might add (`id`, `role`,
 * `region`, `status`, `version`, `created_by`, …). What is stored is what the form offers and the
 * server decides, never what was added: actions parse allow-listed zod objects, which drop
 * unknown keys. A posted `version` is only ever compared, never stored.
 * (Account creation with added `status`/`version` is in app/modules/users/users.db.test.ts, the
 * own account form with added roles in app/modules/auth/account.db.test.ts.)
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { newId } from '#app/lib/ids.ts'
import { todayInChina } from '#app/lib/time.ts'
import { action as userAction } from '#app/routes/_app.admin.users.$userId.tsx'
import { action as newCaseAction } from '#app/routes/_app.cases.new.tsx'
import { action as editExpertAction } from '#app/routes/_app.experts.$expertId.edit.tsx'
import { action as admitAction } from '#app/routes/_app.experts.new.tsx'
import { action as editPersonAction } from '#app/routes/_app.people.$personId.edit.tsx'
import { action as newPersonAction } from '#app/routes/_app.people.new.tsx'
import { createExpert } from '#db/seed/expert-pool.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { createOrganisation, createUser, validIdNumber } from '#tests/fixtures/factories.ts'
import { CHAOYANG, HAIDIAN, type World, buildWorld, call } from './world.ts'

let world: World
const db = () => testDb()
const TODAY = todayInChina()
let seq = 300

/** Fields nobody's form offers, with values that would hurt if they were stored. */
function attackerFields(): Record<string, string> {
  return {
    id: newId(),
    personId: newId(),
    person_id: newId(),
    role: 'admin',
    'grants[0].role': 'admin',
    roles: 'admin',
    region: CHAOYANG,
    region_code: CHAOYANG,
    status: 'disabled',
    version: '99',
    created_by: world.users.cyStaff.id,
    createdBy: world.users.cyStaff.id,
    created_at: '2000-01-01T00:00:00.000Z',
    password_hash: 'x',
    id_number_masked: '000000********0000',
    case_number: '（2000）伪字第 1 号',
    experts_assigned: '9',
    appointing_org_id: newId(),
  }
}

beforeAll(async () => {
  world = await buildWorld(db())
  await createOrganisation(db(), { name: '海淀区司法局', kind: 'justice_bureau', region_code: HAIDIAN })
})

describe(`mediators (${testDialect()})`, () => {
  it('registering ignores added id, region, status, version and authorship', async () => {
    const extra = attackerFields()
    const idNumber = validIdNumber(HAIDIAN, '1981-04-05', seq++, 'male')
    const form = {
      ...extra,
      name: '赵批量',
      idNumber,
      phone: '13912340000',
      orgId: world.orgs.hdCommittee,
      employment: 'full_time',
      cardNumber: `MA-${seq++}`,
    }
    const outcome = await call(newPersonAction, '/people/new', { cookie: world.users.hdStaff.cookie, form })
    expect(outcome.status).toBe(302)
    const id = outcome.location!.split('/').pop()!
    expect(id).not.toBe(extra.id)
    const person = await db().selectFrom('people').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(person).toMatchObject({ region_code: HAIDIAN, version: 1 })
    expect(person.id_number_masked).toBe(`${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`)
    const mediator = await db().selectFrom('mediators').selectAll().where('person_id', '=', id).executeTakeFirstOrThrow()
    expect(mediator).toMatchObject({ org_id: world.orgs.hdCommittee, status: 'active' })
    expect(
      await db().selectFrom('people').select('id').where('id', 'in', [extra.id!, extra.personId!, extra.person_id!]).execute(),
    ).toEqual([])
  })

  it('editing ignores added id and region, and refuses a made-up version without changing anything', async () => {
    const target = world.people.hdMediator2
    const before = await db().selectFrom('people').selectAll().where('id', '=', target.id).executeTakeFirstOrThrow()
    const base = { name: '改名批量', orgId: world.orgs.hdCommittee, employment: 'part_time', status: 'active' }
    const stale = await call(editPersonAction, `/people/${target.id}/edit`, {
      cookie: world.users.hdStaff.cookie,
      params: { personId: target.id },
      form: { ...attackerFields(), ...base, version: String(before.version + 98) },
    })
    expect(stale.status).toBe(409)
    expect(await db().selectFrom('people').selectAll().where('id', '=', target.id).executeTakeFirstOrThrow()).toEqual(before)

    const extra = attackerFields()
    const { version: _ignored, status: _status, ...rest } = extra
    const saved = await call(editPersonAction, `/people/${target.id}/edit`, {
      cookie: world.users.hdStaff.cookie,
      params: { personId: target.id },
      form: { ...rest, ...base, version: String(before.version) },
    })
    expect(saved.status).toBe(302)
    const after = await db().selectFrom('people').selectAll().where('id', '=', target.id).executeTakeFirstOrThrow()
    expect(after).toMatchObject({ name: '改名批量', region_code: before.region_code, version: before.version + 1 })
    expect(after.id_number_masked).toBe(before.id_number_masked)
    expect(after.created_at).toBe(before.created_at)
  })
})

describe(`experts (${testDialect()})`, () => {
  it('admitting ignores added status, version, id and authorship', async () => {
    const extra = attackerFields()
    const birthDate = '1970-09-09'
    const idNumber = validIdNumber(HAIDIAN, birthDate, seq++, 'female')
    const form = {
      ...extra,
      name: '钱专家',
      gender: 'female',
      birthDate,
      idNumber,
      phone: '13911110000',
      tier: 'district',
      regionCode: HAIDIAN,
      employer: '某律师事务所',
      professions: 'law',
      primaryDomains: '合同',
      termStart: TODAY,
      termEnd: `${Number(TODAY.slice(0, 4)) + 3}${TODAY.slice(4)}`,
      maxConcurrentCases: '3',
      contactPreference: 'phone',
    }
    const outcome = await call(admitAction, '/experts/new', { cookie: world.users.hdStaff.cookie, form })
    expect(outcome.status, JSON.stringify(outcome.data)).toBe(302)
    const personId = outcome.location!.split('/').pop()!
    expect(personId).not.toBe(extra.id)
    const expert = await db().selectFrom('experts').selectAll().where('person_id', '=', personId).executeTakeFirstOrThrow()
    expect(expert).toMatchObject({ status: 'active', version: 1, region_code: HAIDIAN, created_by: world.users.hdStaff.id })
    expect(expert.appointing_org_id).not.toBe(extra.appointing_org_id)
  })

  it('editing ignores added status, tier and region, and a made-up version changes nothing', async () => {
    const { expert, person } = await createExpert(db(), { region_code: HAIDIAN, tier: 'district', employer: '原单位' })
    const params = { expertId: expert.person_id }
    const base = {
      name: person!.name,
      gender: person!.gender!,
      birthDate: person!.birth_date!,
      employer: '新单位',
      professions: 'law',
      primaryDomains: '合同',
      maxConcurrentCases: '3',
      contactPreference: 'phone',
    }
    const before = await db().selectFrom('experts').selectAll().where('person_id', '=', expert.person_id).executeTakeFirstOrThrow()
    const extra = { ...attackerFields(), tier: 'national', regionCode: CHAOYANG, status: 'dismissed' }
    const stale = await call(editExpertAction, `/experts/${expert.person_id}/edit`, {
      cookie: world.users.hdStaff.cookie,
      params,
      form: { ...extra, ...base, version: String(before.version + 98) },
    })
    expect(stale.status).toBe(409)
    expect(await db().selectFrom('experts').selectAll().where('person_id', '=', expert.person_id).executeTakeFirstOrThrow()).toEqual(before)

    const saved = await call(editExpertAction, `/experts/${expert.person_id}/edit`, {
      cookie: world.users.hdStaff.cookie,
      params,
      form: { ...extra, ...base, version: String(before.version) },
    })
    expect(saved.status).toBe(302)
    const after = await db().selectFrom('experts').selectAll().where('person_id', '=', expert.person_id).executeTakeFirstOrThrow()
    expect(after).toMatchObject({
      employer: '新单位',
      tier: 'district',
      region_code: HAIDIAN,
      status: before.status,
      version: before.version + 1,
      created_by: before.created_by,
    })
  })
})

describe(`difficult cases (${testDialect()})`, () => {
  it('registering ignores added status, version, number, counters and authorship', async () => {
    const extra = attackerFields()
    const form = {
      ...extra,
      title: '批量赋值测试纠纷',
      summary: '相邻关系',
      disputeType: '物业',
      regionCode: HAIDIAN,
      orgId: world.orgs.hdCommittee,
      source: 'party',
      difficulty: 'complex',
      partyCount: '2',
      'parties[0].kind': 'person',
      'parties[0].name': '孙某',
      'parties[1].kind': 'person',
      'parties[1].name': '周某',
      expertsNeeded: '1',
      consultationMode: 'written',
      periodStart: TODAY,
      periodEnd: TODAY,
      deadline: TODAY,
      status: 'closed',
    }
    const outcome = await call(newCaseAction, '/cases/new', { cookie: world.users.hdStaff.cookie, form })
    expect(outcome.status, JSON.stringify(outcome.data)).toBe(302)
    const row = await db().selectFrom('cases').selectAll().where('title', '=', '批量赋值测试纠纷').executeTakeFirstOrThrow()
    expect(row.id).not.toBe(extra.id)
    expect(row).toMatchObject({ status: 'registered', version: 1, experts_assigned: 0, created_by: world.users.hdStaff.id })
    expect(row.case_number).not.toBe(extra.case_number)
    expect(row.closed_at).toBeNull()
  })
})

describe(`accounts (${testDialect()})`, () => {
  it('the profile form ignores added roles, status, username and password', async () => {
    const { user } = await createUser(db(), { username: 'mass.profile', roles: [{ role: 'mediator' }] })
    // personId is this form's own field (linking a person), checked on its own in users.db.test.ts.
    const { personId: _linked, ...extra } = attackerFields()
    const outcome = await call(userAction, `/admin/users/${user.id}`, {
      cookie: world.users.admin.cookie,
      params: { userId: user.id },
      form: {
        ...extra,
        intent: 'update-profile',
        displayName: '新名字',
        version: '1',
        username: 'mass.renamed',
        'grant.role': 'admin',
      },
    })
    expect(outcome.status).toBe(302)
    const after = await db().selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow()
    expect(after).toMatchObject({ username: 'mass.profile', display_name: '新名字', status: 'active', version: 2 })
    expect(after.password_hash).not.toBe('x')
    const roles = await db().selectFrom('role_grants').select('role').where('user_id', '=', user.id).execute()
    expect(roles.map((r) => r.role)).toEqual(['mediator'])
  })
})
