import type { directory as zh } from '../zh-CN/directory.ts'

export const directory: Record<keyof typeof zh, string> = {}
