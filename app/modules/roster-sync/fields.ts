/**
 * The fields a roster file can fill, per kind of file, with the Chinese headers the provincial
 * system and similar exports use (for mapping suggestions). Pure.
 */
import type { MessageKey } from '#app/lib/i18n.ts'
import type { RosterRunKind } from '#db/schema.ts'

export const ORG_FIELDS = ['code', 'name', 'kind', 'sector', 'region', 'address', 'contactPhone'] as const
export const MEDIATOR_FIELDS = ['name', 'idNumber', 'phone', 'orgCode', 'employment', 'cardNumber', 'startedOn'] as const

export type OrgField = (typeof ORG_FIELDS)[number]
export type MediatorField = (typeof MEDIATOR_FIELDS)[number]
export type SyncField = OrgField | MediatorField

export interface FieldSpec {
  field: SyncField
  required: boolean
  label: MessageKey
  /** Headers that mean this field, most specific first (compared after normaliseHeader). */
  headers: readonly string[]
}

export const ORG_SPECS: readonly FieldSpec[] = [
  {
    field: 'code',
    required: true,
    label: 'rosterSync.field.orgs.code',
    headers: ['组织代码', '调解组织代码', '机构代码', '组织机构代码', '单位代码', '统一社会信用代码', '编码', '代码', 'code', 'org code'],
  },
  {
    field: 'name',
    required: true,
    label: 'rosterSync.field.orgs.name',
    headers: ['组织名称', '调解组织名称', '调委会名称', '机构名称', '单位名称', '名称', 'name'],
  },
  {
    field: 'kind',
    required: true,
    label: 'rosterSync.field.orgs.kind',
    headers: ['组织类型', '组织类别', '调解组织类型', '机构类型', '类型', '类别', 'kind', 'type'],
  },
  {
    field: 'sector',
    required: false,
    label: 'rosterSync.field.orgs.sector',
    headers: ['行业领域', '行业类别', '专业领域', '行业', 'sector'],
  },
  {
    field: 'region',
    required: true,
    label: 'rosterSync.field.orgs.region',
    headers: ['行政区划代码', '区划代码', '所属区划', '行政区划', '所属地区', '所在地区', '地区', '区县', 'region', 'region code'],
  },
  {
    field: 'address',
    required: false,
    label: 'rosterSync.field.orgs.address',
    headers: ['办公地址', '详细地址', '地址', '住所', 'address'],
  },
  {
    field: 'contactPhone',
    required: false,
    label: 'rosterSync.field.orgs.contactPhone',
    headers: ['办公电话', '联系电话', '电话', 'phone', 'contact phone'],
  },
]

export const MEDIATOR_SPECS: readonly FieldSpec[] = [
  { field: 'name', required: true, label: 'rosterSync.field.mediators.name', headers: ['姓名', '调解员姓名', '人员姓名', 'name'] },
  {
    field: 'idNumber',
    required: true,
    label: 'rosterSync.field.mediators.idNumber',
    headers: ['身份证号', '身份证号码', '公民身份号码', '证件号码', 'id number'],
  },
  {
    field: 'phone',
    required: false,
    label: 'rosterSync.field.mediators.phone',
    headers: ['手机号', '手机号码', '移动电话', '联系电话', '电话', 'mobile', 'phone'],
  },
  {
    field: 'orgCode',
    required: true,
    label: 'rosterSync.field.mediators.orgCode',
    headers: ['组织代码', '所属组织代码', '调解组织代码', '机构代码', '单位代码', 'org code'],
  },
  {
    field: 'employment',
    required: true,
    label: 'rosterSync.field.mediators.employment',
    headers: ['专兼职', '专职/兼职', '人员类别', '任职类型', '岗位类型', '角色', '类别', 'role', 'employment'],
  },
  {
    field: 'cardNumber',
    required: false,
    label: 'rosterSync.field.mediators.cardNumber',
    headers: ['工作证号', '调解员证号', '证书编号', '工作证编号', 'card number'],
  },
  {
    field: 'startedOn',
    required: false,
    label: 'rosterSync.field.mediators.startedOn',
    headers: ['任职日期', '聘任日期', '入职日期', '开始日期', '从事调解工作时间', 'started on'],
  },
]

export function specsFor(kind: RosterRunKind): readonly FieldSpec[] {
  return kind === 'orgs' ? ORG_SPECS : MEDIATOR_SPECS
}

export function fieldLabel(kind: RosterRunKind, field: string): MessageKey {
  return specsFor(kind).find((s) => s.field === field)?.label ?? 'rosterSync.field.unknown'
}
