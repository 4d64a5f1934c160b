/**
 * Expert spreadsheets for import tests (database and end-to-end): rows in the template's columns,
 * written as .xlsx with the app's own writer (ID numbers as text) or as CSV.
 */
import { csvField } from '#app/lib/xlsx/csv.ts'
import { buildWorkbook } from '#app/lib/xlsx/write.server.ts'
import { EXPERT_COLUMNS, type ImportField } from '#app/modules/experts/import/columns.ts'
import { validIdNumber } from '#tests/fixtures/factories.ts'

export type ImportRow = Record<ImportField, string>

const SURNAMES = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜'
const GIVEN = ['建国', '丽华', '志强', '秀英', '海涛', '晓燕', '文静', '明华', '国平', '春梅']

/** `count` valid Haidian district experts with ID numbers unique to this call (and, by chance, the run). */
export function expertRows(count: number, options: { regionCode?: string; tier?: string } = {}): ImportRow[] {
  const base = Math.floor(Math.random() * 300)
  const year = 1960 + Math.floor(Math.random() * 25)
  return Array.from({ length: count }, (_, i) => {
    const gender = i % 2 === 0 ? 'male' : 'female'
    const birthDate = `${year}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`
    return {
      name: `${SURNAMES[i % SURNAMES.length]}${GIVEN[i % GIVEN.length]}${i}`,
      gender: gender === 'male' ? '男' : '女',
      birthDate,
      idNumber: validIdNumber('110108', birthDate, (base + i) % 500, gender),
      phone: `139${String(10_000_000 + base * 1000 + i).slice(-8)}`,
      employer: '北京大学法学院',
      title: '教授',
      professions: '法学',
      primaryDomains: '合同',
      secondaryDomains: '婚姻家庭',
      specialties: '合同',
      languages: '普通话',
      tier: options.tier ?? '区县级',
      regionCode: options.regionCode ?? '110108',
      termStart: '2026-12-01',
      termEnd: '2030-11-30',
      maxConcurrentCases: '3',
      bio: '',
    }
  })
}

export async function xlsxOf(rows: readonly ImportRow[]): Promise<Buffer> {
  return buildWorkbook([
    {
      name: '专家',
      columns: EXPERT_COLUMNS.map((c) => ({ header: c.header, text: c.text })),
      rows: rows.map((r) => EXPERT_COLUMNS.map((c) => r[c.field])),
    },
  ])
}

export function csvOf(rows: readonly ImportRow[]): string {
  const lines = [EXPERT_COLUMNS.map((c) => c.header), ...rows.map((r) => EXPERT_COLUMNS.map((c) => r[c.field]))]
  return `\uFEFF${lines.map((cells) => cells.map(csvField).join(',')).join('\r\n')}\r\n`
}
