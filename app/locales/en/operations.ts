import type { operations as zh } from '../zh-CN/operations.ts'

export const operations: Record<keyof typeof zh, string> = {}
