import { parseWithZod } from '@conform-to/zod'
import { describe, expect, it } from 'vitest'
import { idNumberCheckChar } from '#app/lib/personal-numbers.ts'
import {
  type ExpertRefs,
  addConflictSchema,
  addUnavailabilitySchema,
  editExpertSchema,
  statusChangeSchema,
  validateExpertRecord,
} from './schemas.ts'

const refs: ExpertRefs = {
  disputeTypes: ['合同', '医疗', '婚姻家庭', '物业'],
  regions: new Map([
    ['110000', { code: '110000', level: 'province' }],
    ['110108', { code: '110108', level: 'district' }],
  ]),
}

function idNumber(birth: string, order: string): string {
  const first17 = `110108${birth.replaceAll('-', '')}${order}`
  return first17 + idNumberCheckChar(first17)
}

// Born 1975-06-15, order code 013: odd, so male.
const ID = idNumber('1975-06-15', '013')

const row = {
  name: '王建国',
  gender: 'male',
  birthDate: '1975-06-15',
  idNumber: ID,
  phone: '13812345678',
  tier: 'district',
  regionCode: '110108',
  employer: '北京大学第三医院',
  professions: 'medicine',
  primaryDomains: '医疗',
  secondaryDomains: '合同、物业',
  specialties: '医疗',
  languages: '普通话、粤语',
  termStart: '2026-01-01',
  termEnd: '2030-12-31',
  maxConcurrentCases: '3',
  contactPreference: 'phone',
}

function errorsOf(changes: Record<string, string>) {
  const result = validateExpertRecord({ ...row, ...changes }, refs)
  return result.ok ? {} : result.errors
}

describe('an expert record (admission and import share these rules)', () => {
  it('accepts a complete record and normalises it', () => {
    const result = validateExpertRecord(row, refs)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.value.secondaryDomains).toEqual(['合同', '物业'])
    expect(result.value.languages).toEqual(['普通话', '粤语'])
    expect(result.value.maxConcurrentCases).toBe(3)
  })

  it('names the problem with an ID number, per field, as a message key', () => {
    expect(errorsOf({ idNumber: `${ID.slice(0, 17)}${ID[17] === '1' ? '2' : '1'}` }).idNumber).toEqual(['validation.idNumber.checksum'])
    expect(errorsOf({ idNumber: '12345' }).idNumber).toEqual(['validation.idNumber.format'])
  })

  it('checks birth date and gender against the ID number', () => {
    expect(errorsOf({ birthDate: '1975-06-16' }).birthDate).toEqual(['experts.validation.birthDateMismatch'])
    expect(errorsOf({ gender: 'female' }).gender).toEqual(['experts.validation.genderMismatch'])
  })

  it('checks tier against the region of the appointing body', () => {
    expect(errorsOf({ tier: 'municipal' }).tier).toEqual(['experts.validation.regionTier'])
    expect(errorsOf({ tier: 'municipal', regionCode: '110000' })).toEqual({})
    expect(errorsOf({ regionCode: '310000' }).regionCode).toEqual(['validation.choice'])
    expect(errorsOf({ tier: 'national', regionCode: '' }).regionCode).toEqual(['experts.validation.regionRequired'])
  })

  it('refuses unknown codes, overlapping domains, missing domains and reversed terms', () => {
    expect(errorsOf({ primaryDomains: '天气' }).primaryDomains).toEqual(['validation.choice'])
    expect(errorsOf({ primaryDomains: '' }).primaryDomains).toEqual(['experts.validation.atLeastOne'])
    expect(errorsOf({ secondaryDomains: '医疗' }).secondaryDomains).toEqual(['experts.validation.domainOverlap'])
    expect(errorsOf({ primaryDomains: '医疗、合同、物业、婚姻家庭' }).primaryDomains).toEqual(['experts.validation.tooMany?max=3'])
    expect(errorsOf({ termEnd: '2025-12-31' }).termEnd).toEqual(['experts.term.endBeforeStart'])
    expect(errorsOf({ professions: 'astrology' }).professions).toEqual(['validation.choice'])
  })

  it('checks lengths, numbers, phones and dates', () => {
    expect(errorsOf({ name: '' }).name).toEqual(['validation.required'])
    expect(errorsOf({ name: '名'.repeat(65) }).name).toEqual(['validation.tooLong?max=64'])
    expect(errorsOf({ phone: '1234' }).phone).toEqual(['validation.phone'])
    expect(errorsOf({ maxConcurrentCases: '0' }).maxConcurrentCases).toEqual(['validation.min?min=1'])
    expect(errorsOf({ termStart: '2026-02-30' }).termStart).toEqual(['validation.date'])
    expect(errorsOf({ languages: 'x'.repeat(21) }).languages).toEqual(['experts.validation.languageLength?max=20'])
  })
})

describe('forms that must not set what they do not show', () => {
  it('drops tier, status and region from a profile edit', () => {
    const form = new FormData()
    for (const [k, v] of Object.entries({
      ...row,
      secondaryDomains: '合同',
      version: '3',
      tier: 'national',
      status: 'removed',
      regionCode: '110000',
    })) {
      if (k !== 'idNumber' && k !== 'phone') form.append(k, v)
    }
    const submission = parseWithZod(form, { schema: editExpertSchema(refs) })
    expect(submission.status).toBe('success')
    if (submission.status !== 'success') return
    expect(submission.value).not.toHaveProperty('tier')
    expect(submission.value).not.toHaveProperty('status')
    expect(submission.value).not.toHaveProperty('regionCode')
    expect(submission.value.idNumber).toBeUndefined()
  })

  it('requires a reason for a status change', () => {
    const form = new FormData()
    form.append('status', 'suspended')
    form.append('version', '1')
    expect(parseWithZod(form, { schema: statusChangeSchema }).status).toBe('error')
    form.append('reason', '本人申请暂停')
    expect(parseWithZod(form, { schema: statusChangeSchema }).status).toBe('success')
  })

  it('checks unavailable periods and declared conflicts', () => {
    const period = new FormData()
    for (const [k, v] of Object.entries({ intent: 'unavailability.add', startDate: '2026-12-10', endDate: '2026-12-01' }))
      period.append(k, v)
    expect(parseWithZod(period, { schema: addUnavailabilitySchema }).reply().error?.endDate).toEqual(['experts.term.endBeforeStart'])
    const conflict = new FormData()
    for (const [k, v] of Object.entries({ intent: 'conflict.add', kind: 'organisation', name: '某公司', idNumber: ID }))
      conflict.append(k, v)
    expect(parseWithZod(conflict, { schema: addConflictSchema }).reply().error?.idNumber).toEqual(['experts.conflict.idForPersonOnly'])
  })
})
