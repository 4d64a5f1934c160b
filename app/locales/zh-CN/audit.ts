// The audit log (审计日志): read-only view for auditors and security administrators.
export const audit = {
  'audit.title': '审计日志',
  'audit.list.caption': '审计日志记录，最新的在前',
  'audit.intro': '审计日志只能查看，任何人都不能修改或删除。时间按北京时间显示。',

  'audit.field.at': '时间',
  'audit.field.user': '用户',
  'audit.field.roles': '角色',
  'audit.field.ip': '网络地址',
  'audit.field.action': '操作',
  'audit.field.record': '对象',
  'audit.field.result': '结果',
  'audit.field.detail': '详情',
  'audit.field.scope': '管辖范围',

  'audit.filter.from': '开始日期',
  'audit.filter.to': '结束日期',
  'audit.filter.user': '用户名',
  'audit.filter.action': '操作',
  'audit.filter.result': '结果',
  'audit.filter.recordType': '对象类型',
  'audit.filter.recordId': '对象编号',

  'audit.anonymous': '（未登录）',
  'audit.detail.show': '查看',

  'audit.result.ok': '成功',
  'audit.result.denied': '拒绝',
  'audit.result.failed': '失败',

  'audit.recordType.person': '人员',
  'audit.recordType.organisation': '组织机构',
  'audit.recordType.user': '账号',

  'audit.action.auth.sign_in': '登录',
  'audit.action.auth.sign_out': '退出登录',
  'audit.action.authz.forbidden': '越权访问（无权限）',
  'audit.action.authz.out_of_scope': '越权访问（超出管辖范围）',
  'audit.action.person.create': '登记人员',
  'audit.action.person.update': '修改人员信息',
  'audit.action.person.reveal': '查看完整号码',
  'audit.action.org.create': '新增组织机构',
  'audit.action.org.update': '修改组织机构',
} as const
