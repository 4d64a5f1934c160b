// Inline migration provider: an object of imported migrations survives bundling, unlike a
// folder scan. Add each new migration here, in order.
import type { Migration } from 'kysely'
import * as m0100 from './20261123000100_regions.ts'
import * as m0200 from './20261123000200_dispute_types.ts'
import * as m0300 from './20261123000300_organisations.ts'
import * as m0400 from './20261123000400_people.ts'
import * as m0500 from './20261123000500_mediators.ts'
import * as m0600 from './20261123000600_users.ts'
import * as m0700 from './20261123000700_role_grants.ts'
import * as m0800 from './20261123000800_sessions.ts'
import * as m0900 from './20261123000900_setup_tokens.ts'
import * as m1000 from './20261123001000_sign_in_throttle.ts'
import * as m1100 from './20261123001100_audit_log.ts'
import * as m1200 from './20261123001200_audit_log_append_only.ts'
import * as m1300 from './20261123001300_settings.ts'
import * as m1400 from './20261123001400_submission_keys.ts'
import * as m100000 from './20261123100000_experts.ts'
import * as m100100 from './20261123100100_expert_domains.ts'
import * as m100200 from './20261123100200_expert_terms.ts'
import * as m100300 from './20261123100300_expert_status_changes.ts'
import * as m100400 from './20261123100400_expert_unavailability.ts'
import * as m100500 from './20261123100500_expert_conflicts.ts'
import * as m100600 from './20261123100600_expert_recommendations.ts'

import * as m200000 from './20261123200000_mdx_cache.ts'

export const migrations: Record<string, Migration> = {
  '20261123000100_regions': m0100,
  '20261123000200_dispute_types': m0200,
  '20261123000300_organisations': m0300,
  '20261123000400_people': m0400,
  '20261123000500_mediators': m0500,
  '20261123000600_users': m0600,
  '20261123000700_role_grants': m0700,
  '20261123000800_sessions': m0800,
  '20261123000900_setup_tokens': m0900,
  '20261123001000_sign_in_throttle': m1000,
  '20261123001100_audit_log': m1100,
  '20261123001200_audit_log_append_only': m1200,
  '20261123001300_settings': m1300,
  '20261123001400_submission_keys': m1400,
  '20261123100000_experts': m100000,
  '20261123100100_expert_domains': m100100,
  '20261123100200_expert_terms': m100200,
  '20261123100300_expert_status_changes': m100300,
  '20261123100400_expert_unavailability': m100400,
  '20261123100500_expert_conflicts': m100500,
  '20261123100600_expert_recommendations': m100600,
  '20261123200000_mdx_cache': m200000,
}
