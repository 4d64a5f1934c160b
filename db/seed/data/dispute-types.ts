/**
 * Dispute types of the people's-mediation statistics (统计用纠纷类型): the standard list, then the
 * newer sector types. The Chinese name is the code (organisations.sector_code refers to it), so
 * codes read the same in data, exports and statistics. Administrators may add more at run time.
 */
import type { DisputeTypeTable } from '#db/schema.ts'

export interface DisputeTypeSeed {
  code: string
  nameZh: string
  nameEn: string
  category: DisputeTypeTable['category']
}

const standard = (nameZh: string, nameEn: string): DisputeTypeSeed => ({ code: nameZh, nameZh, nameEn, category: 'standard' })
const sector = (nameZh: string, nameEn: string): DisputeTypeSeed => ({ code: nameZh, nameZh, nameEn, category: 'sector' })

export const DISPUTE_TYPES: readonly DisputeTypeSeed[] = [
  standard('婚姻家庭', 'Marriage and family'),
  standard('邻里', 'Neighbours'),
  standard('房屋宅基地', 'Housing and homesteads'),
  standard('合同', 'Contracts'),
  standard('生产经营', 'Production and business'),
  standard('损害赔偿', 'Compensation for damage'),
  standard('山林土地', 'Forests and land'),
  standard('征地拆迁', 'Land acquisition and demolition'),
  standard('环境污染', 'Environmental pollution'),
  standard('劳动争议', 'Labour disputes'),
  standard('消费', 'Consumer disputes'),
  standard('医疗', 'Medical disputes'),
  standard('道路交通事故', 'Road traffic accidents'),
  standard('物业', 'Property management'),
  standard('其他', 'Other'),
  sector('旅游', 'Tourism'),
  sector('电子商务', 'E-commerce'),
  sector('知识产权', 'Intellectual property'),
  sector('保险', 'Insurance'),
  sector('金融', 'Finance'),
  sector('互联网', 'Internet'),
]

/** 其他 (other) sorts last in every list, after the sector types. */
export const OTHER_DISPUTE_TYPE = '其他'
