import type { twoFactor as zh } from '../zh-CN/two-factor.ts'

export const twoFactor: Record<keyof typeof zh, string> = {}
