import type { webhooks as zh } from '../zh-CN/webhooks.ts'

export const webhooks: Record<keyof typeof zh, string> = {}
