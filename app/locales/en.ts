import { auth } from './en/auth.ts'
import { common } from './en/common.ts'
import type { MessageKey } from './zh-CN.ts'
import { audit } from './en/audit.ts'
import { orgs } from './en/orgs.ts'
import { people } from './en/people.ts'
import { pager } from './en/pager.ts'
import { experts } from './en/experts.ts'
import { users } from './en/users.ts'

export const en: Record<MessageKey, string> = { ...common, ...auth, ...orgs, ...people, ...audit, ...users, ...experts, ...pager }
