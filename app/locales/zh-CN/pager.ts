// Keyset (cursor) paging of lists: app/components/ui/cursor-pager.tsx. Candidates for common.ts.
export const pager = {
  'table.first': '第一页',
  'table.pagination': '分页',
} as const
