import { describe, expect, it } from 'vitest'
import { ID_PATTERN } from '#app/lib/ids.ts'
import { genderFromIdNumber, idNumberProblem, isValidPhone } from '#app/lib/personal-numbers.ts'
import { ageOn } from '#app/lib/time.ts'
import { ROLES } from '#app/modules/auth/policy.ts'
import { DISPUTE_TYPES } from './data/dispute-types.ts'
import { REGIONS } from './data/regions.ts'
import { DEMO_TODAY, generateDemo, mulberry32, stableId } from './demo.ts'
import { validIdNumber } from './factories.ts'

const demo = generateDemo()
const mediatorPeople = demo.people.filter((p) => p.kind === 'mediator')
const experts = demo.people.filter((p) => p.kind === 'expert')
const orgById = new Map(demo.organisations.map((o) => [o.id, o]))

describe('determinism', () => {
  it('mulberry32 repeats its sequence for a seed and stays in [0, 1)', () => {
    const a = mulberry32(42)
    const b = mulberry32(42)
    const first = Array.from({ length: 1000 }, a)
    expect(Array.from({ length: 1000 }, b)).toEqual(first)
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true)
    expect(Array.from({ length: 5 }, mulberry32(43))).not.toEqual(first.slice(0, 5))
  })

  it('stableId derives the same well-formed id from the same key', () => {
    expect(stableId('org:北京市司法局')).toBe(stableId('org:北京市司法局'))
    expect(stableId('org:北京市司法局')).not.toBe(stableId('org:海淀区司法局'))
    expect(stableId('user:admin')).toMatch(ID_PATTERN)
  })

  it('generates the same data set, ids included, for the same seed', () => {
    expect(generateDemo()).toEqual(demo)
  })

  it('draws different people from another seed', () => {
    const other = generateDemo(7)
    expect(other.people.map((p) => p.name)).not.toEqual(demo.people.map((p) => p.name))
    expect(other.organisations.map((o) => o.id)).toEqual(demo.organisations.map((o) => o.id))
  })

  it('gives every record a unique id in the app id format', () => {
    const ids = [
      ...demo.organisations.map((o) => o.id),
      ...demo.people.map((p) => p.id),
      ...demo.accounts.map((a) => a.id),
      ...demo.accounts.flatMap((a) => a.roles.map((r) => r.id)),
    ]
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids) expect(id).toMatch(ID_PATTERN)
  })
})

describe('organisations', () => {
  const ofKind = (kind: string) => demo.organisations.filter((o) => o.kind === kind)

  it('has the municipal bureau and association, and both for every Beijing district', () => {
    const districts = REGIONS.filter((r) => r.level === 'district' && r.parent === '110000')
    expect(districts).toHaveLength(16)
    expect(ofKind('justice_bureau').map((o) => o.name)).toContain('北京市司法局')
    expect(ofKind('association').map((o) => o.name)).toContain('北京人民调解协会')
    for (const district of districts) {
      expect(ofKind('justice_bureau').some((o) => o.region_code === district.code)).toBe(true)
      expect(ofKind('association').some((o) => o.region_code === district.code)).toBe(true)
    }
  })

  it('has a justice office for every street, under its district bureau', () => {
    const streets = REGIONS.filter((r) => r.level === 'township' && r.code.startsWith('11'))
    for (const street of streets) {
      const office = ofKind('justice_office').find((o) => o.region_code === street.code)
      expect(office, street.name).toBeDefined()
      expect(orgById.get(office!.parent_id!)?.region_code).toBe(street.parent)
    }
  })

  it('has about 40 committees of every kind, sector committees naming a dispute type', () => {
    const kinds = ['committee_village', 'committee_township', 'committee_enterprise', 'committee_sector', 'committee_stationed', 'studio']
    const committees = demo.organisations.filter((o) => kinds.includes(o.kind))
    expect(committees.length).toBeGreaterThanOrEqual(35)
    expect(committees.length).toBeLessThanOrEqual(55)
    for (const kind of kinds) expect(ofKind(kind).length, kind).toBeGreaterThan(0)
    const sectorCodes = new Set(DISPUTE_TYPES.map((t) => t.code))
    for (const org of ofKind('committee_sector')) expect(sectorCodes.has(org.sector_code!), org.name).toBe(true)
    expect(demo.organisations.filter((o) => o.kind !== 'committee_sector').every((o) => o.sector_code === null)).toBe(true)
  })

  it('lists parents before children, each in a known region', () => {
    const seen = new Set<string>()
    const regionCodes = new Set(REGIONS.map((r) => r.code))
    for (const org of demo.organisations) {
      if (org.parent_id) expect(seen.has(org.parent_id), org.name).toBe(true)
      expect(regionCodes.has(org.region_code), org.name).toBe(true)
      seen.add(org.id)
    }
    expect(new Set(demo.organisations.map((o) => o.name)).size).toBe(demo.organisations.length)
  })
})

describe('people', () => {
  it('has about 300 mediators and 120 experts', () => {
    expect(mediatorPeople.length).toBeGreaterThanOrEqual(270)
    expect(mediatorPeople.length).toBeLessThanOrEqual(330)
    expect(demo.mediators).toHaveLength(mediatorPeople.length)
    expect(experts).toHaveLength(120)
  })

  it('gives everyone a valid ID number that starts with their district and matches birth date and gender', () => {
    const beijingDistricts = new Set(REGIONS.filter((r) => r.parent === '110000').map((r) => r.code))
    for (const person of demo.people) {
      expect(idNumberProblem(person.idNumber, DEMO_TODAY), person.idNumber).toBeNull()
      const prefix = person.idNumber.slice(0, 6)
      if (person.region_code === '110000') expect(beijingDistricts.has(prefix)).toBe(true)
      else expect(prefix).toBe(person.region_code.slice(0, 6))
      expect(person.idNumber.slice(6, 14)).toBe(person.birth_date.replaceAll('-', ''))
      expect(genderFromIdNumber(person.idNumber)).toBe(person.gender)
    }
    expect(new Set(demo.people.map((p) => p.idNumber)).size).toBe(demo.people.length)
  })

  it('gives everyone a unique valid mobile number and a Chinese name', () => {
    for (const person of demo.people) {
      expect(isValidPhone(person.phone), person.phone).toBe(true)
      expect(person.name).toMatch(/^[\u4e00-\u9fff]{2,4}$/)
    }
    expect(new Set(demo.people.map((p) => p.phone)).size).toBe(demo.people.length)
  })

  it('keeps mediators between 28 and 68 and experts under 70', () => {
    for (const person of mediatorPeople) {
      const age = ageOn(person.birth_date, DEMO_TODAY)
      expect(age).toBeGreaterThanOrEqual(28)
      expect(age).toBeLessThanOrEqual(68)
    }
    for (const person of experts) expect(ageOn(person.birth_date, DEMO_TODAY)).toBeLessThan(70)
  })
})

describe('mediators', () => {
  it('issues unique work cards in the 京调证 format, dated from the start of work', () => {
    const cards = demo.mediators.map((m) => m.card_number)
    expect(new Set(cards).size).toBe(cards.length)
    for (const m of demo.mediators) {
      expect(m.card_number).toMatch(/^京调证 \d{4}-\d{4}-\d{5}$/)
      expect(m.card_number.slice(4, 8)).toBe(m.started_on.slice(0, 4))
      expect(m.started_on <= DEMO_TODAY).toBe(true)
    }
  })

  it('employs about 13 % full-time and places everyone in a committee', () => {
    const share = demo.mediators.filter((m) => m.employment === 'full_time').length / demo.mediators.length
    expect(share).toBeGreaterThan(0.09)
    expect(share).toBeLessThan(0.17)
    for (const m of demo.mediators) {
      const kind = orgById.get(m.org_id)?.kind
      expect(kind === 'studio' || kind?.startsWith('committee_'), kind).toBe(true)
    }
  })

  it('puts a studio’s namesake at its head', () => {
    const studio = demo.organisations.find((o) => o.name === '王秀兰调解工作室')!
    const first = demo.mediators.find((m) => m.org_id === studio.id)!
    expect(demo.people.find((p) => p.id === first.person_id)?.name).toBe('王秀兰')
  })
})

describe('accounts', () => {
  const byName = new Map(demo.accounts.map((a) => [a.username, a]))

  it('has an account for every role, with unique lower-case usernames', () => {
    const roles = new Set(demo.accounts.flatMap((a) => a.roles.map((r) => r.role)))
    for (const role of ROLES) expect(roles.has(role), role).toBe(true)
    const usernames = demo.accounts.map((a) => a.username)
    expect(new Set(usernames).size).toBe(usernames.length)
    for (const username of usernames) expect(username).toBe(username.toLowerCase())
  })

  it('scopes and links the accounts as documented', () => {
    expect(byName.get('hd.staff')?.roles).toMatchObject([{ role: 'bureau_staff', regionCode: '110108' }])
    expect(orgById.get(byName.get('bj.assoc')!.roles[0]!.orgId!)?.name).toBe('北京人民调解协会')
    expect(orgById.get(byName.get('hd.assoc')!.roles[0]!.orgId!)?.name).toBe('海淀区人民调解协会')
    const managed = orgById.get(byName.get('org.manager')!.roles[0]!.orgId!)!
    expect(managed).toMatchObject({ kind: 'committee_township', region_code: '110108011' })
    const mediator = demo.people.find((p) => p.id === byName.get('mediator')!.personId)!
    expect(mediator).toMatchObject({ kind: 'mediator', org_id: managed.id })
    expect(byName.get('mediator')!.displayName).toBe(mediator.name)
    const expert = demo.people.find((p) => p.id === byName.get('expert')!.personId)!
    expect(expert).toMatchObject({ kind: 'expert', region_code: '110108' })
  })
})

describe('validIdNumber', () => {
  it('reproduces the example printed in GB 11643', () => {
    expect(validIdNumber('110105', '1949-12-31', 1, 'female')).toBe('11010519491231002X')
  })

  it('encodes gender in the order code and rejects bad input', () => {
    expect(genderFromIdNumber(validIdNumber('110108', '1980-05-06', 17, 'male'))).toBe('male')
    expect(genderFromIdNumber(validIdNumber('110108', '1980-05-06', 17, 'female'))).toBe('female')
    expect(() => validIdNumber('1101', '1980-05-06', 1, 'male')).toThrow(RangeError)
    expect(() => validIdNumber('110108', '1980-02-30', 1, 'male')).toThrow(RangeError)
    expect(() => validIdNumber('110108', '1980-05-06', 500, 'male')).toThrow(RangeError)
  })
})
