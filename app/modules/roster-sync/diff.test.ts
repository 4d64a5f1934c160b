import { describe, expect, it } from 'vitest'
import { type MediatorRow, type OrgState, type PersonState, diffFingerprintSource, diffMediators, diffOrgs, unlinkedKey } from './diff.ts'
import type { OrgRecord } from './rows.ts'

const HAIDIAN = '/110000/110108/'

function org(over: Partial<OrgState> = {}): OrgState {
  return {
    id: 'O1',
    name: '海淀街道调委会',
    kind: 'committee_township',
    sectorCode: null,
    regionCode: '110108',
    regionPath: HAIDIAN,
    address: '海淀路1号',
    contactPhone: null,
    status: 'active',
    version: 3,
    ...over,
  }
}

function record(over: Partial<OrgRecord> = {}): OrgRecord {
  return {
    code: 'HD-001',
    name: '海淀街道调委会',
    kind: 'committee_township',
    sectorCode: undefined,
    regionCode: '110108',
    regionPath: HAIDIAN,
    address: '海淀路1号',
    contactPhone: undefined,
    ...over,
  }
}

const none = { linked: new Map(), unlinked: new Map(), inScope: [], presentCodes: new Set<string>(), scopePath: HAIDIAN }

describe('diffOrgs', () => {
  it('sorts rows into new, changed (per field, before and after) and unchanged', () => {
    const linked = new Map([
      ['HD-001', org()],
      ['HD-002', org({ id: 'O2', name: '旧名称', address: null })],
    ])
    const diff = diffOrgs(
      [
        { row: 2, label: 'a', record: record() },
        { row: 3, label: 'b', record: record({ code: 'HD-002', name: '新名称', address: '新地址' }) },
        { row: 4, label: 'c', record: record({ code: 'HD-003', name: '新组织' }) },
      ],
      { ...none, linked, presentCodes: new Set(['HD-001', 'HD-002', 'HD-003']) },
    )
    expect(diff.unchanged.map((u) => u.state.id)).toEqual(['O1'])
    expect(diff.changed).toHaveLength(1)
    expect(diff.changed[0]!.changes).toEqual([
      { field: 'name', before: '旧名称', after: '新名称' },
      { field: 'address', before: null, after: '新地址' },
    ])
    expect(diff.created.map((c) => c.key)).toEqual(['HD-003'])
    expect(diff.missing).toEqual([])
  })

  it('leaves unmapped fields alone, clears mapped blank ones and reactivates a dissolved organisation', () => {
    const linked = new Map([['HD-001', org({ contactPhone: '010-1', status: 'dissolved' })]])
    const diff = diffOrgs([{ row: 2, label: 'a', record: record({ address: null }) }], { ...none, linked })
    expect(diff.changed[0]!.changes).toEqual([
      { field: 'address', before: '海淀路1号', after: null },
      { field: 'status', before: 'dissolved', after: 'active' },
    ])
  })

  it('links an unlinked organisation with the same name in the same region the first time, once', () => {
    const existing = org({ id: 'O9' })
    const unlinked = new Map([[unlinkedKey('110108', '海淀街道调委会'), [existing]]])
    const diff = diffOrgs(
      [
        { row: 2, label: 'a', record: record() },
        { row: 3, label: 'b', record: record({ code: 'HD-XYZ' }) },
      ],
      { ...none, unlinked },
    )
    expect(diff.changed.map((c) => [c.key, c.state.id, c.link, c.changes])).toEqual([['HD-001', 'O9', true, []]])
    expect(diff.created.map((c) => c.key)).toEqual(['HD-XYZ'])
  })

  it('reports linked active organisations of the region that the file lacks as missing, never those of other regions', () => {
    const inScope = [
      { code: 'HD-001', state: org() },
      { code: 'HD-OLD', state: org({ id: 'O5', name: '已不存在的调委会' }) },
      { code: 'HD-GONE', state: org({ id: 'O6', status: 'dissolved' }) },
    ]
    const diff = diffOrgs([{ row: 2, label: 'a', record: record() }], {
      ...none,
      linked: new Map([['HD-001', org()]]),
      inScope,
      presentCodes: new Set(['HD-001']),
    })
    expect(diff.missing.map((m) => [m.key, m.state.id])).toEqual([['HD-OLD', 'O5']])
  })

  it('refuses a code whose organisation lies outside the region of the run', () => {
    const linked = new Map([['HD-001', org({ regionPath: '/110000/110105/', regionCode: '110105' })]])
    const diff = diffOrgs([{ row: 2, label: 'a', record: record() }], { ...none, linked })
    expect(diff.errors).toEqual([{ row: 2, label: 'a', errors: [{ column: '', message: 'rosterSync.error.orgOutOfScope' }] }])
  })

  it('fingerprints the versions read: a changed version changes it, the same state gives the same one', () => {
    const run = (version: number) =>
      diffFingerprintSource(
        diffOrgs([{ row: 2, label: 'a', record: record() }], { ...none, linked: new Map([['HD-001', org({ version })]]) }),
        (s) => s.id,
        (s) => String(s.version),
      )
    expect(run(3)).toBe(run(3))
    expect(run(3)).not.toBe(run(4))
  })
})

function person(over: Partial<PersonState> = {}, mediator: Partial<NonNullable<PersonState['mediator']>> | null = {}): PersonState {
  return {
    personId: 'P1',
    name: '王五',
    idMasked: '110108********0012',
    phoneHash: 'PH1',
    phoneMasked: '138****8000',
    regionPath: HAIDIAN,
    version: 2,
    mediator:
      mediator === null
        ? null
        : {
            orgId: 'ORG1',
            orgCode: 'HD-001',
            employment: 'part_time',
            cardNumber: null,
            startedOn: null,
            status: 'active',
            version: 5,
            ...mediator,
          },
    ...over,
  }
}

function mediatorRow(over: Partial<MediatorRow['record']> = {}, hashes: Partial<MediatorRow> = {}): MediatorRow {
  return {
    row: 2,
    label: '王五',
    record: {
      name: '王五',
      idNumber: '110108198001010012',
      phone: '13800138000',
      orgCode: 'HD-001',
      orgId: 'ORG1',
      regionCode: '110108',
      employment: 'part_time',
      cardNumber: undefined,
      startedOn: undefined,
      ...over,
    },
    idHash: 'ID1',
    idMasked: '110108********0012',
    phoneHash: 'PH1',
    phoneMasked: '138****8000',
    ...hashes,
  }
}

const noPeople = { people: new Map(), cardOwners: new Map(), inScope: [], presentHashes: new Set<string>(), scopePath: HAIDIAN }

describe('diffMediators', () => {
  it('matches by the ID hash: unchanged, changed with masked phones and organisation codes, new', () => {
    const people = new Map([['ID1', person()]])
    const same = diffMediators([mediatorRow()], { ...noPeople, people })
    expect(same.unchanged).toHaveLength(1)
    const changed = diffMediators(
      [mediatorRow({ orgId: 'ORG2', orgCode: 'HD-002', employment: 'full_time' }, { phoneHash: 'PH2', phoneMasked: '139****0000' })],
      { ...noPeople, people },
    )
    expect(changed.changed[0]!.changes).toEqual([
      { field: 'phone', before: '138****8000', after: '139****0000' },
      { field: 'orgCode', before: 'HD-001', after: 'HD-002' },
      { field: 'employment', before: 'part_time', after: 'full_time' },
    ])
    const created = diffMediators([mediatorRow({}, { idHash: 'ID-NEW' })], { ...noPeople, people })
    expect(created.created.map((c) => [c.key, c.state])).toEqual([['110108********0012', undefined]])
  })

  it('makes a registered person who is not a mediator a new mediator record of that person', () => {
    const people = new Map([['ID1', person({}, null)]])
    const diff = diffMediators([mediatorRow()], { ...noPeople, people })
    expect(diff.created[0]!.state?.personId).toBe('P1')
  })

  it('refuses people registered outside the region and work cards held by someone else', () => {
    const people = new Map([['ID1', person({ regionPath: '/110000/110105/' })]])
    const outside = diffMediators([mediatorRow()], { ...noPeople, people })
    expect(outside.errors[0]!.errors[0]!.message).toBe('rosterSync.error.personOutOfScope')
    const taken = diffMediators([mediatorRow({ cardNumber: 'C1' })], { ...noPeople, cardOwners: new Map([['C1', 'P9']]) })
    expect(taken.errors[0]!.errors[0]!.message).toBe('rosterSync.error.cardTaken')
  })

  it('reports active mediators of linked organisations that the file lacks as missing', () => {
    const stays = person()
    const gone = person({ personId: 'P2', name: '赵六', idMasked: '110108********0034' })
    const diff = diffMediators([mediatorRow()], {
      ...noPeople,
      people: new Map([['ID1', stays]]),
      inScope: [stays, gone, person({ personId: 'P3' }, { status: 'inactive' })],
      presentHashes: new Set(['ID1']),
    })
    expect(diff.missing.map((m) => [m.key, m.label])).toEqual([['110108********0034', '赵六']])
  })
})
