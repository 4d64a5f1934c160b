import type { pager as zh } from '../zh-CN/pager.ts'

export const pager: Record<keyof typeof zh, string> = {
  'table.first': 'First page',
  'table.pagination': 'Pages',
}
