/**
 * Security checklist items 31–33 under real concurrency (on MariaDB the requests run on separate
 * pooled connections at once): racing creates of the same person, simultaneous edits of the same
 * record, and a form posted twice at once. Through the real actions; the database is the judge.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { lookupHash } from '#app/lib/crypto.server.ts'
import { newId } from '#app/lib/ids.ts'
import * as editExpertRoute from '#app/routes/_app.experts.$expertId.edit.tsx'
import * as admitRoute from '#app/routes/_app.experts.new.tsx'
import * as newSubmissionRoute from '#app/routes/_app.library.submissions.new.tsx'
import * as editOrgRoute from '#app/routes/_app.orgs.$orgId.edit.tsx'
import * as editPersonRoute from '#app/routes/_app.people.$personId.edit.tsx'
import * as newPersonRoute from '#app/routes/_app.people.new.tsx'
import { createExpert } from '#db/seed/expert-pool.ts'
import { validIdNumber } from '#db/seed/factories.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { type Outcome, type World, type WorldUser, buildWorld, call } from '#tests/security/world.ts'

const HAIDIAN = '110108'
const RACERS = 20
let world: World
let serial = 0

beforeAll(async () => {
  world = await buildWorld(testDb())
})

const cookie = (user: WorldUser) => world.users[user].cookie

/** An ID number no other test uses: birth dates from 1973 on, one per call. */
function freshId(gender: 'male' | 'female' = 'male'): string {
  const birth = new Date(Date.UTC(1973, 0, 1) + ++serial * 86_400_000).toISOString().slice(0, 10)
  return validIdNumber(HAIDIAN, birth, 313, gender)
}

function birthDateOf(idNumber: string): string {
  return `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`
}

const statuses = (outcomes: Outcome[]) => outcomes.map((o) => o.status).sort()
const fieldErrors = (outcome: Outcome) => (outcome.data as { error?: Record<string, string[]> }).error ?? {}

describe(`racing creates of the same person (${testDialect()})`, () => {
  it(`${RACERS} registrations of one mediator at once: one succeeds, the rest are told, no 500s`, async () => {
    const idNumber = freshId()
    const outcomes = await Promise.all(
      Array.from({ length: RACERS }, (_, i) =>
        call(newPersonRoute.action, '/people/new', {
          cookie: cookie(i % 2 ? 'hdStaff' : 'bjStaff'),
          form: { name: '并发登记', idNumber, orgId: world.orgs.hdCommittee, employment: 'full_time', cardNumber: `RACE-P-${i}` },
        }),
      ),
    )
    expect(statuses(outcomes)).toEqual([302, ...Array(RACERS - 1).fill(400)])
    for (const refused of outcomes.filter((o) => o.status === 400)) {
      expect(fieldErrors(refused).idNumber?.[0]).toMatch(/^people\.error\.duplicateId/)
    }
    const people = await testDb().selectFrom('people').select('id').where('id_number_hash', '=', lookupHash('id', idNumber)).execute()
    expect(people).toHaveLength(1)
    expect(await testDb().selectFrom('mediators').select('person_id').where('person_id', '=', people[0]!.id).execute()).toHaveLength(1)
  })

  it(`${RACERS} admissions of one expert at once: one succeeds, the rest are told, no 500s`, async () => {
    const idNumber = freshId('female')
    const form = {
      name: '并发专家',
      gender: 'female',
      birthDate: birthDateOf(idNumber),
      idNumber,
      phone: '13922223333',
      tier: 'district',
      regionCode: HAIDIAN,
      employer: '北京某律师事务所',
      professions: ['law'],
      primaryDomains: ['合同'],
      termStart: '2026-12-01',
      termEnd: '2031-11-30',
      maxConcurrentCases: '3',
      contactPreference: 'phone',
    }
    const outcomes = await Promise.all(
      Array.from({ length: RACERS }, () => call(admitRoute.action, '/experts/new', { cookie: cookie('hdStaff'), form })),
    )
    expect(statuses(outcomes)).toEqual([302, ...Array(RACERS - 1).fill(400)])
    for (const refused of outcomes.filter((o) => o.status === 400)) {
      expect((refused.data as { result: { error: Record<string, string[]> } }).result.error.idNumber).toEqual([
        'experts.validation.duplicate',
      ])
    }
    const people = await testDb().selectFrom('people').select('id').where('id_number_hash', '=', lookupHash('id', idNumber)).execute()
    expect(people).toHaveLength(1)
    expect(await testDb().selectFrom('experts').select('person_id').where('person_id', '=', people[0]!.id).execute()).toHaveLength(1)
    expect(await testDb().selectFrom('expert_terms').select('id').where('expert_id', '=', people[0]!.id).execute()).toHaveLength(1)
  })
})

describe(`simultaneous edits of one record (${testDialect()})`, () => {
  /** Two saves from the same version at once: exactly one wins, the other gets 409 and its values back. */
  function expectOneWinner(outcomes: Outcome[]): number {
    expect(statuses(outcomes)).toEqual([302, 409])
    const loser = outcomes.find((o) => o.status === 409)!
    const data = loser.data as { error?: Record<string, string[]>; result?: { error: Record<string, string[]> } }
    expect((data.result ?? data).error?.['']).toEqual(['form.staleVersion'])
    return outcomes.findIndex((o) => o.status === 302)
  }

  it('a mediator edited by two staff members at once', async () => {
    const target = world.people.hdMediator2
    const before = await testDb().selectFrom('people').selectAll().where('id', '=', target.id).executeTakeFirstOrThrow()
    const names = ['甲同时保存', '乙同时保存']
    const outcomes = await Promise.all(
      (['hdStaff', 'bjStaff'] as const).map((user, i) =>
        call(editPersonRoute.action, `/people/${target.id}/edit`, {
          cookie: cookie(user),
          params: { personId: target.id },
          form: {
            name: names[i]!,
            orgId: before.org_id!,
            employment: 'part_time',
            status: 'active',
            version: String(before.version),
          },
        }),
      ),
    )
    const winner = expectOneWinner(outcomes)
    const after = await testDb().selectFrom('people').select(['name', 'version']).where('id', '=', target.id).executeTakeFirstOrThrow()
    expect(after).toEqual({ name: names[winner], version: before.version + 1 })
  })

  it('an organisation edited by two staff members at once', async () => {
    const id = world.orgs.hdCommittee2
    const before = await testDb().selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    const names = ['海淀第二调委会（甲）', '海淀第二调委会（乙）']
    const outcomes = await Promise.all(
      (['hdStaff', 'bjStaff'] as const).map((user, i) =>
        call(editOrgRoute.action, `/orgs/${id}/edit`, {
          cookie: cookie(user),
          params: { orgId: id },
          form: {
            name: names[i]!,
            kind: before.kind,
            regionCode: before.region_code,
            status: before.status,
            version: String(before.version),
          },
        }),
      ),
    )
    const winner = expectOneWinner(outcomes)
    const after = await testDb().selectFrom('organisations').select(['name', 'version']).where('id', '=', id).executeTakeFirstOrThrow()
    expect(after).toEqual({ name: names[winner], version: before.version + 1 })
  })

  it('an expert’s profile edited twice at once', async () => {
    const { expert, person } = await createExpert(testDb(), { region_code: HAIDIAN, employer: '原单位' })
    const employers = ['甲保存的单位', '乙保存的单位']
    const outcomes = await Promise.all(
      employers.map((employer) =>
        call(editExpertRoute.action, `/experts/${expert.person_id}/edit`, {
          cookie: cookie('hdStaff'),
          params: { expertId: expert.person_id },
          form: {
            name: person!.name,
            gender: person!.gender!,
            birthDate: person!.birth_date!,
            employer,
            professions: ['law'],
            primaryDomains: ['合同'],
            maxConcurrentCases: '3',
            contactPreference: 'phone',
            version: String(expert.version),
          },
        }),
      ),
    )
    const winner = expectOneWinner(outcomes)
    const after = await testDb()
      .selectFrom('experts')
      .select(['employer', 'version'])
      .where('person_id', '=', expert.person_id)
      .executeTakeFirstOrThrow()
    expect(after).toEqual({ employer: employers[winner], version: expert.version + 1 })
  })
})

describe(`double submit and refresh after POST (${testDialect()})`, () => {
  const FORM = {
    title: '楼上漏水殃及楼下，调解促成维修赔偿',
    disputeType: '邻里',
    regionCode: HAIDIAN,
    year: '2025',
    source: '当事人申请',
    outcome: '书面协议',
    amountRange: '1万以下',
    techniques: ['释法明理'],
    summary: '楼上住户水管破裂渗水，调解员组织双方协商维修与赔偿。',
    facts: '张某家水管破裂，楼下李某天花板受损。',
    process: '调解员现场查看，核实损失。',
    result: '张某负责维修并赔偿两千元。',
    commentary: '邻里纠纷宜早调解。',
  }

  it('a new library case posted twice at once, then re-posted after the redirect, is saved once', async () => {
    const submissionKey = newId()
    const post = () =>
      call(newSubmissionRoute.action, '/library/submissions/new', {
        cookie: cookie('mediator'),
        form: { ...FORM, intent: 'save', submissionKey },
      })
    const [first, second] = await Promise.all([post(), post()])
    expect([first!.status, second!.status]).toEqual([302, 302])
    expect(second!.location).toBe(first!.location)
    // The answer is a redirect (post/redirect/get): a refresh reloads the record. A browser that
    // re-sends the form anyway gets the same record again.
    expect((await post()).location).toBe(first!.location)
    const rows = await testDb().selectFrom('library_submissions').select('id').where('title', '=', FORM.title).execute()
    expect(rows.map((r) => r.id)).toEqual([first!.location!.split('/').pop()])
  })
})
