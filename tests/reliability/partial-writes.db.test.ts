/**
 * Security checklist item 30: a multi-row write that fails half-way persists nothing. The database
 * itself refuses one of the later inserts (tests/reliability/inject.ts), through the real actions
 * and module functions; afterwards no row of the write may remain, and the same write succeeds once
 * the failure is lifted (so the injection, nothing else, stopped it).
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { lookupHash } from '#app/lib/crypto.server.ts'
import { todayInChina } from '#app/lib/time.ts'
import { createCase } from '#app/modules/cases/cases.server.ts'
import * as admitRoute from '#app/routes/_app.experts.new.tsx'
import * as newPersonRoute from '#app/routes/_app.people.new.tsx'
import type { Database } from '#db/schema.ts'
import { validIdNumber } from '#db/seed/factories.ts'
import { testDb, testDialect } from '#tests/fixtures/db.ts'
import { type World, buildWorld, call } from '#tests/security/world.ts'
import { INJECTED_MESSAGE, failInsertsInto } from './inject.ts'

const HAIDIAN = '110108'
let world: World
let lift: (() => Promise<void>) | undefined
let serial = 0

beforeAll(async () => {
  world = await buildWorld(testDb())
})

afterEach(async () => {
  await lift?.()
  lift = undefined
})

/** An ID number no other test uses: birth dates from 1972 on, one per call. */
function freshId(gender: 'male' | 'female' = 'male'): string {
  const birth = new Date(Date.UTC(1972, 0, 1) + ++serial * 86_400_000).toISOString().slice(0, 10)
  return validIdNumber(HAIDIAN, birth, 311, gender)
}

async function count(table: keyof Database): Promise<number> {
  const row = await testDb()
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

async function counts(tables: (keyof Database)[]): Promise<Record<string, number>> {
  return Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await count(t)])))
}

describe(`a failure half-way through a multi-table write persists nothing (${testDialect()})`, () => {
  it('case intake: the case row is rolled back when its second party cannot be written', async () => {
    const today = todayInChina()
    const input = {
      title: '可靠性测试医疗纠纷',
      summary: '术后并发症，需要医学专家意见',
      disputeType: '医疗',
      domains: [],
      regionCode: HAIDIAN,
      orgId: world.orgs.hdCommittee,
      source: 'party' as const,
      difficulty: 'complex' as const,
      amountYuan: 50000,
      partyCount: 2,
      parties: [
        { kind: 'person' as const, name: '王某', idNumber: freshId() },
        { kind: 'organisation' as const, name: '北京某医院' },
      ],
      expertsNeeded: 1,
      requiredProfession: undefined,
      minTier: undefined,
      requiresOutsideRegion: false,
      consultationMode: 'written' as const,
      periodStart: today,
      periodEnd: today,
      deadline: today,
    }
    const before = await counts(['cases', 'case_parties', 'audit_log'])
    lift = await failInsertsInto(testDb(), 'case_parties', { column: 'kind', value: 'organisation' })
    await expect(createCase(testDb(), input, world.users.hdStaff.id)).rejects.toThrow(INJECTED_MESSAGE)
    expect(await counts(['cases', 'case_parties', 'audit_log'])).toEqual(before)
    expect(await testDb().selectFrom('cases').select('id').where('title', '=', input.title).execute()).toEqual([])

    await lift()
    const made = await createCase(testDb(), input, world.users.hdStaff.id)
    const parties = await testDb().selectFrom('case_parties').select('kind').where('case_id', '=', made.id).orderBy('kind').execute()
    expect(parties.map((p) => p.kind)).toEqual(['organisation', 'person'])
  })

  it('expert admission: person, profile and domains are rolled back when the first term cannot be written', async () => {
    const idNumber = freshId()
    const form = {
      name: '周可靠',
      gender: 'male',
      birthDate: `19${idNumber.slice(8, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`,
      idNumber,
      phone: '13911113333',
      tier: 'district',
      regionCode: HAIDIAN,
      employer: '北京大学第三医院',
      title: '主任医师',
      professions: ['medicine'],
      primaryDomains: ['医疗'],
      secondaryDomains: ['损害赔偿'],
      languages: '普通话',
      termStart: '2026-12-01',
      termEnd: '2031-11-30',
      maxConcurrentCases: '3',
      contactPreference: 'phone',
    }
    const tables: (keyof Database)[] = ['people', 'experts', 'expert_domains', 'expert_terms', 'expert_status_changes', 'audit_log']
    const before = await counts(tables)
    lift = await failInsertsInto(testDb(), 'expert_terms')
    const admit = () => call(admitRoute.action, '/experts/new', { cookie: world.users.hdStaff.cookie, form })
    await expect(admit()).rejects.toThrow(INJECTED_MESSAGE)
    expect(await counts(tables)).toEqual(before)
    expect(await testDb().selectFrom('people').select('id').where('id_number_hash', '=', lookupHash('id', idNumber)).execute()).toEqual([])

    await lift()
    const admitted = await admit()
    expect(admitted.status).toBe(302)
    const personId = admitted.location!.split('/').pop()!
    expect(await testDb().selectFrom('expert_domains').select('role').where('expert_id', '=', personId).execute()).toHaveLength(2)
    expect(await testDb().selectFrom('expert_terms').select('kind').where('expert_id', '=', personId).execute()).toEqual([
      { kind: 'appointed' },
    ])
  })

  it('mediator registration: person and mediator rows are rolled back when the audit entry cannot be written', async () => {
    const idNumber = freshId('female')
    const form = {
      name: '吴可靠',
      idNumber,
      phone: '13911114444',
      orgId: world.orgs.hdCommittee,
      employment: 'full_time',
      cardNumber: 'REL-A-1',
    }
    const before = await counts(['people', 'mediators', 'audit_log'])
    lift = await failInsertsInto(testDb(), 'audit_log', { column: 'action', value: 'person.create' })
    const register = () => call(newPersonRoute.action, '/people/new', { cookie: world.users.hdStaff.cookie, form })
    await expect(register()).rejects.toThrow(INJECTED_MESSAGE)
    expect(await counts(['people', 'mediators', 'audit_log'])).toEqual(before)

    await lift()
    const registered = await register()
    expect(registered.status).toBe(302)
    const personId = registered.location!.split('/').pop()!
    expect(await testDb().selectFrom('mediators').select('card_number').where('person_id', '=', personId).execute()).toEqual([
      { card_number: 'REL-A-1' },
    ])
  })
})
