export const operations = {
  'audit.action.backup.created': '数据库备份',
  'audit.action.backup.restored': '数据库恢复',
  'audit.recordType.database': '数据库',
} as const
