/**
 * The fixed vocabularies of the case library (精品案例库), shared by the curated-case frontmatter
 * schema, the submission form and the filters. Pure data: safe in the browser.
 */
import { DISPUTE_TYPES } from '#db/seed/data/dispute-types.ts'

export const DISPUTE_TYPE_CODES = DISPUTE_TYPES.map((d) => d.code) as [string, ...string[]]

export const SOURCES = ['当事人申请', '调委会主动调解', '法院委派委托', '公安移交', '信访移交', '检察机关移交', '其他部门移交'] as const
export const OUTCOMES = ['书面协议', '口头协议', '调解不成'] as const
export const AMOUNT_RANGES = ['无', '1万以下', '1万-10万', '10万-50万', '50万以上'] as const
export const TECHNIQUES = ['倾听', '共情', '释法明理', '背靠背', '引导协商', '程序规范', '借助外力', '冷处理'] as const
export const DIFFICULTIES = ['一般', '疑难复杂', '重大'] as const

/** Review criteria (domain.md, "Exemplar cases"), each scored 1-5. */
export const CRITERIA = ['truthfulness', 'typicality', 'procedure', 'novelty', 'readability', 'exemplary'] as const
export type Criterion = (typeof CRITERIA)[number]
export const CRITERION_ZH: Record<Criterion, string> = {
  truthfulness: '真实性',
  typicality: '典型性',
  procedure: '规范性',
  novelty: '新颖性',
  readability: '可读性',
  exemplary: '示范性',
}

/** The four sections of every case, in order, with their headings. */
export const SECTIONS = [
  { key: 'facts', heading: '基本案情' },
  { key: 'process', heading: '调解过程' },
  { key: 'result', heading: '调解结果' },
  { key: 'commentary', heading: '案例评析' },
] as const
export type SectionKey = (typeof SECTIONS)[number]['key']

export type SubmissionStatus = 'draft' | 'submitted' | 'returned' | 'accepted'
