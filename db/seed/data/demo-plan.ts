/**
 * The plan of the demo data set: which committees exist besides one per street, how many
 * mediators they have and how many work full-time, and which experts there are. Names are
 * modelled on real Beijing bodies; the people are invented (db/seed/demo.ts draws them).
 */
import type { Gender, OrgKind } from '#db/schema.ts'

export const BEIJING = '110000'
export const HAIDIAN = '110108'
export const CHAOYANG = '110105'
export const ZHONGGUANCUN = '110108011'

/** Mediators per committee, by kind, before a little random variation. */
export const MEDIATORS_PER_COMMITTEE: Record<CommitteeKind, number> = {
  committee_village: 3,
  committee_township: 5,
  committee_enterprise: 3,
  committee_sector: 8,
  committee_stationed: 4,
  studio: 3,
}
/** Municipal sector committees are the big ones. */
export const MUNICIPAL_SECTOR_MEDIATORS = 16

/** Full-time share by kind, chosen so about 13 % of all mediators are full-time (national figure). */
export const FULL_TIME_SHARE: Record<CommitteeKind, number> = {
  committee_village: 0.03,
  committee_township: 0.06,
  committee_enterprise: 0.08,
  committee_sector: 0.18,
  committee_stationed: 0.2,
  studio: 0.34,
}

export type CommitteeKind = Exclude<OrgKind, 'justice_bureau' | 'justice_office' | 'association'>

export interface StudioLead {
  name: string
  gender: Gender
  age: number
}

export const VILLAGE_COMMITTEES: readonly (readonly [street: string, place: string])[] = [
  [ZHONGGUANCUN, '黄庄社区'],
  [ZHONGGUANCUN, '科源社区'],
  ['110105038', '何各庄村'],
  ['110105038', '东辛店村'],
  ['110101003', '菊儿社区'],
  ['110112104', '小堡村'],
]

export const ENTERPRISE_COMMITTEES: readonly (readonly [district: string, name: string])[] = [
  ['110107', '首钢集团有限公司人民调解委员会'],
  ['110111', '中国石化北京燕山分公司人民调解委员会'],
  ['110106', '北京公交集团人民调解委员会'],
  [HAIDIAN, '中关村软件园人民调解委员会'],
]

export const SECTOR_COMMITTEES: readonly (readonly [region: string, name: string, sector: string])[] = [
  [BEIJING, '北京市医疗纠纷人民调解委员会', '医疗'],
  [BEIJING, '北京市物业纠纷人民调解委员会', '物业'],
  [BEIJING, '北京市知识产权纠纷人民调解委员会', '知识产权'],
  [BEIJING, '北京市消费纠纷人民调解委员会', '消费'],
  [CHAOYANG, '朝阳区交通事故人民调解委员会', '道路交通事故'],
  [HAIDIAN, '海淀区劳动争议人民调解委员会', '劳动争议'],
  ['110102', '西城区金融纠纷人民调解委员会', '金融'],
  ['110112', '通州区婚姻家庭纠纷人民调解委员会', '婚姻家庭'],
  ['110106', '丰台区物业纠纷人民调解委员会', '物业'],
]

/** 派驻: stationed at a court (诉调), police station (警调), petition office (访调) or procuratorate (检调). */
export const STATIONED_COMMITTEES: readonly (readonly [region: string, name: string])[] = [
  [HAIDIAN, '海淀区人民法院诉调对接人民调解工作室'],
  [CHAOYANG, '朝阳区人民法院派驻人民调解工作室'],
  ['110105026', '朝阳分局望京派出所人民调解工作室'],
  ['110101', '东城区信访办人民调解工作室'],
  ['110106', '丰台区人民检察院检调对接人民调解工作室'],
]

/** 个人调解工作室, named after the mediator who runs it. */
export const STUDIOS: readonly (readonly [street: string, name: string, lead: StudioLead])[] = [
  [ZHONGGUANCUN, '老李调解工作室', { name: '李德顺', gender: 'male', age: 66 }],
  ['110105016', '王秀兰调解工作室', { name: '王秀兰', gender: 'female', age: 62 }],
  ['110102003', '老周调解工作室', { name: '周建国', gender: 'male', age: 64 }],
  ['110101003', '张大姐调解工作室', { name: '张桂芳', gender: 'female', age: 59 }],
]

export type ExpertOccupation =
  | 'lawyer' // 律师
  | 'retired_judge' // 退休法官
  | 'law_professor' // 法学教授
  | 'doctor' // 医生
  | 'psychologist' // 心理咨询师
  | 'social_worker' // 社会工作者
  | 'engineer' // 工程师
  | 'accountant' // 注册会计师
  | 'financial_analyst' // 金融从业人员
  | 'property_manager' // 物业管理师

/** How many experts of each occupation, and the committee whose expert pool they serve, if any. */
export const EXPERT_PLAN: readonly (readonly [ExpertOccupation, number, string | null])[] = [
  ['lawyer', 24, null],
  ['lawyer', 6, '北京市知识产权纠纷人民调解委员会'],
  ['retired_judge', 8, null],
  ['law_professor', 8, null],
  ['doctor', 18, '北京市医疗纠纷人民调解委员会'],
  ['psychologist', 10, null],
  ['psychologist', 4, '通州区婚姻家庭纠纷人民调解委员会'],
  ['social_worker', 12, null],
  ['engineer', 6, '北京市物业纠纷人民调解委员会'],
  ['engineer', 6, '朝阳区交通事故人民调解委员会'],
  ['accountant', 5, null],
  ['accountant', 3, '西城区金融纠纷人民调解委员会'],
  ['financial_analyst', 5, '西城区金融纠纷人民调解委员会'],
  ['property_manager', 5, '北京市物业纠纷人民调解委员会'],
]

/** Street names for the organisations' plausible addresses. */
export const ROADS = ['建设路', '文化路', '光明路', '和平路', '民主路', '团结路', '育新街', '安华里', '新源街', '长青路']
