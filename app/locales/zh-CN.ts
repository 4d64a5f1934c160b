// The zh-CN catalog (default language and reference for every key), assembled from one part
// per area so each area keeps its strings together.
import { auth } from './zh-CN/auth.ts'
import { common } from './zh-CN/common.ts'
import { audit } from './zh-CN/audit.ts'
import { orgs } from './zh-CN/orgs.ts'
import { people } from './zh-CN/people.ts'
import { pager } from './zh-CN/pager.ts'
import { experts } from './zh-CN/experts.ts'
import { users } from './zh-CN/users.ts'

export const zhCN = { ...common, ...auth, ...orgs, ...people, ...audit, ...users, ...experts, ...pager } as const

export type MessageKey = keyof typeof zhCN
