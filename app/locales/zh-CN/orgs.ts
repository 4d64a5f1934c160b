// Organisations: justice bureaus and offices, associations, mediation committees and studios.
export const orgs = {
  'orgs.title': '组织机构',
  'orgs.list.caption': '组织机构列表',
  'orgs.new': '新增组织',
  'orgs.new.title': '新增组织机构',
  'orgs.edit.title': '编辑组织机构',
  'orgs.created': '组织机构已创建。',
  'orgs.updated': '组织机构已保存。',

  'orgs.field.name': '名称',
  'orgs.field.kind': '类型',
  'orgs.field.sector': '行业领域',
  'orgs.field.region': '所在地区',
  'orgs.field.parent': '主管（指导）单位',
  'orgs.field.address': '地址',
  'orgs.field.contactPhone': '办公电话',
  'orgs.field.status': '状态',
  'orgs.field.updatedAt': '更新时间',
  'orgs.field.mediators': '人民调解员',

  'orgs.filter.search': '名称',
  'orgs.filter.searchPlaceholder': '输入名称关键字',

  'orgs.kind.justice_bureau': '司法局',
  'orgs.kind.justice_office': '司法所',
  'orgs.kind.association': '人民调解协会',
  'orgs.kind.committee_village': '村（居）人民调解委员会',
  'orgs.kind.committee_township': '乡镇（街道）人民调解委员会',
  'orgs.kind.committee_enterprise': '企事业单位人民调解委员会',
  'orgs.kind.committee_sector': '行业性专业性人民调解委员会',
  'orgs.kind.committee_stationed': '派驻人民调解工作室',
  'orgs.kind.studio': '个人调解工作室',

  'orgs.status.active': '正常',
  'orgs.status.dissolved': '已撤销',

  'orgs.detail.mediatorCount': '共 {count} 名（在岗 {active} 名）',
  'orgs.detail.viewMediators': '查看本组织调解员',
  'orgs.detail.noParent': '无',

  'orgs.form.choose': '请选择',
  'orgs.form.none': '（无）',

  'orgs.hint.sector': '行业性专业性调解委员会须选择行业领域',
  'orgs.hint.contactPhone': '单位总机或办公电话，不填个人手机',
  'orgs.error.sectorRequired': '行业性专业性调解委员会须选择行业领域',
  'orgs.error.regionOutOfScope': '只能选择您管辖范围内的地区',
  'orgs.error.parentInvalid': '请选择您管辖范围内的司法局、司法所或调解协会',
  'orgs.error.phoneFormat': '电话号码只能包含数字、空格、括号、加号和连字符',
} as const
