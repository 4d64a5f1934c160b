// The zh-CN catalog (default language and reference for every key), assembled from one part
// per area so each area keeps its strings together.
import { auth } from './zh-CN/auth.ts'
import { common } from './zh-CN/common.ts'
import { audit } from './zh-CN/audit.ts'
import { orgs } from './zh-CN/orgs.ts'
import { people } from './zh-CN/people.ts'
import { experts } from './zh-CN/experts.ts'
import { users } from './zh-CN/users.ts'
import { training } from './zh-CN/training.ts'
import { drills } from './zh-CN/drills.ts'
import { library } from './zh-CN/library.ts'
import { cases } from './zh-CN/cases.ts'
import { matching } from './zh-CN/matching.ts'
import { expertImport } from './zh-CN/expert-import.ts'
import { settings } from './zh-CN/settings.ts'
import { grading } from './zh-CN/grading.ts'
import { gradingNotice } from './zh-CN/grading-notice.ts'
import { gradingReview } from './zh-CN/grading-review.ts'
import { stats } from './zh-CN/stats.ts'
import { dashboard } from './zh-CN/dashboard.ts'
import { webhooks } from './zh-CN/webhooks.ts'
import { operations } from './zh-CN/operations.ts'
import { twoFactor } from './zh-CN/two-factor.ts'
import { rosterSync } from './zh-CN/roster-sync.ts'
import { api } from './zh-CN/api.ts'
import { directory } from './zh-CN/directory.ts'
import { retention } from './zh-CN/retention.ts'
import { jobs } from './zh-CN/jobs.ts'

export const zhCN = {
  ...common,
  ...auth,
  ...orgs,
  ...people,
  ...audit,
  ...users,
  ...experts,
  ...training,
  ...drills,
  ...library,
  ...cases,
  ...matching,
  ...expertImport,
  ...settings,
  ...grading,
  ...gradingNotice,
  ...gradingReview,
  ...stats,
  ...dashboard,
  ...webhooks,
  ...operations,
  ...twoFactor,
  ...rosterSync,
  ...api,
  ...directory,
  ...retention,
  ...jobs,
} as const

export type MessageKey = keyof typeof zhCN
