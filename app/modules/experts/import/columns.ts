/**
 * The expert spreadsheet (导入模板 and 导出): its columns in order, their Chinese headers (English
 * aliases accepted on import), and how a cell's text becomes a value of the admission form.
 * Pure: shared by the template, the importer, the export and tests.
 */
import type { ColumnSpec } from '#app/lib/xlsx/headers.ts'
import { translate } from '#app/lib/i18n.ts'
import { PROFESSIONS, TIERS } from '../model.ts'
import type { RecordField } from '../schemas.ts'

/** The columns an import fills; every one maps to a field of the admission record. */
export type ImportField = Exclude<RecordField, 'employerOrgId' | 'appointingOrgId' | 'contactPreference' | 'contactNote'>

export const EXPERT_COLUMNS: readonly (ColumnSpec<ImportField> & { text?: boolean; width?: number })[] = [
  { field: 'name', header: '姓名', aliases: ['name'], required: true, width: 12 },
  { field: 'gender', header: '性别', aliases: ['gender'], required: true, width: 8 },
  { field: 'birthDate', header: '出生日期', aliases: ['birth date', 'birthdate'], required: true, text: true, width: 14 },
  { field: 'idNumber', header: '身份证号', aliases: ['身份证号码', 'id number'], required: true, text: true, width: 22 },
  { field: 'phone', header: '手机号', aliases: ['手机号码', 'mobile', 'phone'], required: true, text: true, width: 15 },
  { field: 'employer', header: '工作单位', aliases: ['employer'], required: true, width: 24 },
  { field: 'title', header: '职称', aliases: ['title'], width: 14 },
  { field: 'professions', header: '专业', aliases: ['professions'], required: true, width: 16 },
  { field: 'primaryDomains', header: '主要领域', aliases: ['primary domains'], required: true, width: 20 },
  { field: 'secondaryDomains', header: '次要领域', aliases: ['secondary domains'], width: 20 },
  { field: 'specialties', header: '擅长纠纷类型', aliases: ['specialties'], width: 20 },
  { field: 'languages', header: '语言/方言', aliases: ['语言', 'languages'], width: 16 },
  { field: 'tier', header: '层级', aliases: ['tier'], required: true, width: 8 },
  { field: 'regionCode', header: '所属地区代码', aliases: ['地区代码', 'region code'], required: true, text: true, width: 14 },
  { field: 'termStart', header: '任期开始', aliases: ['term start'], required: true, text: true, width: 12 },
  { field: 'termEnd', header: '任期结束', aliases: ['term end'], required: true, text: true, width: 12 },
  { field: 'maxConcurrentCases', header: '最大同时案件数', aliases: ['max concurrent cases'], width: 10 },
  { field: 'bio', header: '简介', aliases: ['bio'], width: 40 },
]

export const HEADER_OF = Object.fromEntries(EXPERT_COLUMNS.map((c) => [c.field, c.header])) as Record<ImportField, string>

const LIST_SEPARATOR = '、'

export const GENDER_TEXT = { male: '男', female: '女' } as const
export const TIER_TEXT = { national: '全国', provincial: '省级', municipal: '市级', district: '区县级' } as const

const GENDERS: Record<string, 'male' | 'female'> = { 男: 'male', 女: 'female', male: 'male', female: 'female', m: 'male', f: 'female' }
const TIER_NAMES: Record<string, (typeof TIERS)[number]> = {
  全国: 'national',
  国家级: 'national',
  省级: 'provincial',
  市级: 'municipal',
  区县级: 'district',
  区级: 'district',
  县级: 'district',
  ...Object.fromEntries(TIERS.map((t) => [t, t])),
}

/** 法学 → law, also 'Law' and 'law'. */
const PROFESSION_NAMES: Record<string, string> = Object.fromEntries(
  PROFESSIONS.flatMap((code) => [
    [translate('zh-CN', `experts.profession.${code}`), code],
    [translate('en', `experts.profession.${code}`).toLowerCase(), code],
    [code, code],
  ]),
)

export function professionText(code: string): string {
  return (PROFESSIONS as readonly string[]).includes(code)
    ? translate('zh-CN', `experts.profession.${code as (typeof PROFESSIONS)[number]}`)
    : code
}

export function joinList(values: readonly string[]): string {
  return values.join(LIST_SEPARATOR)
}

function splitCell(text: string): string[] {
  return text
    .split(/[,，、;；\n]/)
    .map((s) => s.trim())
    .filter(Boolean)
}

/** `2026/1/5`, `2026.1.5`, `2026年1月5日` → `2026-01-05`; anything else unchanged (the schema reports it). */
export function normaliseDateText(text: string): string {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text.trim())
  if (!m) return text.trim()
  return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`
}

/**
 * A row of cell texts as the admission form would have posted it. Unknown words are passed on
 * unchanged so the admission rules report them ("not a choice") on the right column.
 */
export function rowToFormValues(
  cells: Partial<Record<ImportField, string>>,
  defaults: { maxConcurrentCases: number },
): Partial<Record<RecordField, string | string[]>> {
  const get = (f: ImportField) => (cells[f] ?? '').trim()
  const out: Partial<Record<RecordField, string | string[]>> = {}
  const set = (f: RecordField, v: string | string[]) => {
    if (typeof v === 'string' ? v !== '' : v.length) out[f] = v
  }
  set('name', get('name'))
  const gender = get('gender')
  set('gender', GENDERS[gender.toLowerCase()] ?? gender)
  set('birthDate', normaliseDateText(get('birthDate')))
  set('idNumber', get('idNumber').replace(/\s/g, ''))
  set('phone', get('phone'))
  set('employer', get('employer'))
  set('title', get('title'))
  set(
    'professions',
    splitCell(get('professions')).map((p) => PROFESSION_NAMES[p] ?? PROFESSION_NAMES[p.toLowerCase()] ?? p),
  )
  set('primaryDomains', splitCell(get('primaryDomains')))
  set('secondaryDomains', splitCell(get('secondaryDomains')))
  set('specialties', splitCell(get('specialties')))
  set('languages', get('languages'))
  const tier = get('tier')
  set('tier', TIER_NAMES[tier] ?? TIER_NAMES[tier.toLowerCase()] ?? tier)
  set('regionCode', get('regionCode'))
  set('termStart', normaliseDateText(get('termStart')))
  set('termEnd', normaliseDateText(get('termEnd')))
  set('maxConcurrentCases', get('maxConcurrentCases') || String(defaults.maxConcurrentCases))
  set('bio', get('bio'))
  // Not in the spreadsheet: the expert states a preference later on their own page.
  out.contactPreference = 'phone'
  return out
}
