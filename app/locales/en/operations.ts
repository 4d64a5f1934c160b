import type { operations as zh } from '../zh-CN/operations.ts'

export const operations: Record<keyof typeof zh, string> = {
  'audit.action.backup.created': 'Database backed up',
  'audit.action.backup.restored': 'Database restored',
  'audit.recordType.database': 'Database',
}
