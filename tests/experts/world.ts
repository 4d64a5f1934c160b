/**
 * A small expert pool for database tests: bureaus of Beijing, Haidian and Chaoyang, experts of
 * every tier (a Haidian and a Chaoyang district expert, a Beijing municipal one, a national one),
 * and one signed-in user per kind of viewer.
 */
import type { Executor } from '#app/lib/db.server.ts'
import { type BuiltExpert, createExpert } from '#db/seed/expert-pool.ts'
import { createOrganisation, createUser, seedReferenceData, validIdNumber } from '#tests/fixtures/factories.ts'
import { cookieFor } from '#tests/security/world.ts'

export const BEIJING = '110000'
export const HAIDIAN = '110108'
export const CHAOYANG = '110105'

export type PoolUser = 'admin' | 'bjStaff' | 'hdStaff' | 'cyStaff' | 'hdManager' | 'bjAssoc' | 'expert' | 'noGrants'

export interface Pool {
  orgs: { bjBureau: string; hdBureau: string; cyBureau: string; hdCommittee: string; bjAssociation: string }
  experts: { haidian: BuiltExpert; chaoyang: BuiltExpert; municipal: BuiltExpert; national: BuiltExpert }
  users: Record<PoolUser, { id: string; cookie: string }>
}

let serial = 0

/** A fresh, valid ID number for a person born on `birthDate` (unique within the test run). */
export function freshIdNumber(birthDate = '1975-06-15', gender: 'male' | 'female' = 'male'): string {
  serial = (serial + 7) % 500
  return validIdNumber('110108', birthDate, (serial + Math.floor(Math.random() * 400)) % 500, gender)
}

export async function buildPool(db: Executor): Promise<Pool> {
  await seedReferenceData(db)
  const bjBureau = (await createOrganisation(db, { name: '北京市司法局', kind: 'justice_bureau', region_code: BEIJING })).id
  const hdBureau = (await createOrganisation(db, { name: '海淀区司法局', kind: 'justice_bureau', region_code: HAIDIAN })).id
  const cyBureau = (await createOrganisation(db, { name: '朝阳区司法局', kind: 'justice_bureau', region_code: CHAOYANG })).id
  const hdCommittee = (await createOrganisation(db, { name: '海淀测试调委会', region_code: HAIDIAN })).id
  const bjAssociation = (await createOrganisation(db, { name: '北京人民调解协会', kind: 'association', region_code: BEIJING })).id

  const haidian = await createExpert(db, {
    tier: 'district',
    region_code: HAIDIAN,
    appointing_org_id: hdBureau,
    primary: ['医疗'],
    specialty: ['医疗'],
  })
  const chaoyang = await createExpert(db, { tier: 'district', region_code: CHAOYANG, person: { region_code: CHAOYANG }, primary: ['合同'] })
  const municipal = await createExpert(db, {
    tier: 'municipal',
    region_code: BEIJING,
    person: { region_code: BEIJING },
    primary: ['婚姻家庭'],
  })
  const national = await createExpert(db, { tier: 'national', region_code: null, person: { region_code: BEIJING }, primary: ['知识产权'] })

  const grants: Record<PoolUser, { roles: Parameters<typeof createUser>[1]['roles']; personId?: string }> = {
    admin: { roles: [{ role: 'admin' }] },
    bjStaff: { roles: [{ role: 'bureau_staff', regionCode: BEIJING }] },
    hdStaff: { roles: [{ role: 'bureau_staff', regionCode: HAIDIAN }] },
    cyStaff: { roles: [{ role: 'bureau_staff', regionCode: CHAOYANG }] },
    hdManager: { roles: [{ role: 'org_manager', orgId: hdCommittee }] },
    bjAssoc: { roles: [{ role: 'association_admin', orgId: bjAssociation }] },
    expert: { roles: [{ role: 'expert' }], personId: haidian.expert.person_id },
    noGrants: { roles: [] },
  }
  const users = {} as Pool['users']
  const tag = Math.random().toString(36).slice(2, 8)
  for (const [name, g] of Object.entries(grants) as [PoolUser, (typeof grants)[PoolUser]][]) {
    const { user } = await createUser(db, {
      username: `x.${name.toLowerCase()}.${tag}`,
      displayName: name,
      roles: g.roles,
      personId: g.personId ?? null,
    })
    users[name] = { id: user.id, cookie: await cookieFor(user.id) }
  }
  return { orgs: { bjBureau, hdBureau, cyBureau, hdCommittee, bjAssociation }, experts: { haidian, chaoyang, municipal, national }, users }
}
