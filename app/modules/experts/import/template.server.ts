/**
 * The import template: the expert sheet with its Chinese headers (ID, phone, date and code
 * columns formatted as text, so Excel keeps what is typed), and a second sheet listing the values
 * each column accepts, with the regions the downloading user's body appoints.
 */
import type { Executor } from '#app/lib/db.server.ts'
import { buildWorkbook } from '#app/lib/xlsx/write.server.ts'
import type { AuthUser } from '#app/modules/auth/authz.server.ts'
import { admissionOptions } from '../forms.server.ts'
import { LIMITS } from '../schemas.ts'
import { readExpertSettings } from '../settings.server.ts'
import { PROFESSIONS, tiersForRegion } from '../model.ts'
import { EXPERT_COLUMNS, GENDER_TEXT, TIER_TEXT, professionText } from './columns.ts'

export async function buildTemplate(db: Executor, user: AuthUser): Promise<Buffer> {
  const [{ options }, settings] = await Promise.all([admissionOptions(db, user), readExpertSettings(db)])
  const values: (string | null)[][] = [
    ['性别', joinAll(Object.values(GENDER_TEXT)), '须与身份证号一致'],
    ['出生日期', 'YYYY-MM-DD', '例如 1972-03-08；须与身份证号一致'],
    ['身份证号', '18 位居民身份证号', '请保持本列为“文本”格式，否则 Excel 会改写后几位'],
    ['手机号', '11 位手机号', ''],
    ['专业', joinAll(PROFESSIONS.map(professionText)), `1 至 ${LIMITS.professions} 项，用顿号“、”分隔`],
    ['主要领域', joinAll(options.disputeTypes.map((d) => d.code)), `1 至 ${LIMITS.primaryDomains} 项，用顿号分隔`],
    ['次要领域', '同“主要领域”', `最多 ${LIMITS.secondaryDomains} 项，不能与主要领域重复`],
    ['擅长纠纷类型', '同“主要领域”', `最多 ${LIMITS.specialties} 项`],
    ['语言/方言', '例如 普通话、粤语', `最多 ${LIMITS.languageCount} 项`],
    ['层级', joinAll(options.tiers.map((t) => TIER_TEXT[t])), '须与所属地区的聘任机关级别相符'],
    ['任期开始', 'YYYY-MM-DD', ''],
    ['任期结束', 'YYYY-MM-DD', '须晚于任期开始'],
    ['最大同时案件数', `1 至 ${LIMITS.maxConcurrentCases}`, `留空则为 ${settings.defaultMaxConcurrentCases}`],
    ['简介', `不超过 ${LIMITS.bio} 字`, ''],
    ...options.regions.map((r) => [
      '所属地区代码',
      r.code,
      `${r.name}（${tiersForRegion(r)
        .map((t) => TIER_TEXT[t])
        .join('、')}）`,
    ]),
  ]
  return buildWorkbook([
    {
      name: '专家',
      columns: EXPERT_COLUMNS.map((c) => ({ header: c.header, text: c.text, width: c.width })),
      rows: [],
    },
    {
      name: '可选值',
      columns: [
        { header: '列', width: 16 },
        { header: '可填写的值', width: 60, text: true },
        { header: '说明', width: 40 },
      ],
      rows: values,
    },
  ])
}

function joinAll(values: readonly string[]): string {
  return values.join('、')
}
