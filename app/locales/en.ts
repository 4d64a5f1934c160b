import { auth } from './en/auth.ts'
import { common } from './en/common.ts'
import type { MessageKey } from './zh-CN.ts'
import { audit } from './en/audit.ts'
import { orgs } from './en/orgs.ts'
import { people } from './en/people.ts'
import { experts } from './en/experts.ts'
import { users } from './en/users.ts'
import { training } from './en/training.ts'
import { drills } from './en/drills.ts'
import { library } from './en/library.ts'
import { cases } from './en/cases.ts'
import { matching } from './en/matching.ts'
import { expertImport } from './en/expert-import.ts'
import { settings } from './en/settings.ts'
import { grading } from './en/grading.ts'
import { gradingNotice } from './en/grading-notice.ts'
import { gradingReview } from './en/grading-review.ts'
import { stats } from './en/stats.ts'
import { dashboard } from './en/dashboard.ts'
import { webhooks } from './en/webhooks.ts'
import { operations } from './en/operations.ts'
import { twoFactor } from './en/two-factor.ts'
import { rosterSync } from './en/roster-sync.ts'
import { api } from './en/api.ts'
import { directory } from './en/directory.ts'
import { retention } from './en/retention.ts'
import { jobs } from './en/jobs.ts'

export const en: Record<MessageKey, string> = {
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
}
