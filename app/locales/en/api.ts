import type { api as zh } from '../zh-CN/api.ts'

export const api: Record<keyof typeof zh, string> = {}
