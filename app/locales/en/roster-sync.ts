import type { rosterSync as zh } from '../zh-CN/roster-sync.ts'

export const rosterSync: Record<keyof typeof zh, string> = {}
