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
import * as m400100 from './20261123400100_drill_attempts.ts'
import * as m400200 from './20261123400200_drill_grades.ts'
import * as m400300 from './20261123400300_drill_events.ts'

import * as m300100 from './20261123300100_training_progress.ts'
import * as m300200 from './20261123300200_training_records.ts'
import * as m300300 from './20261123300300_training_certificates.ts'
import * as m300400 from './20261123300400_training_sessions.ts'
import * as m300500 from './20261123300500_training_plans.ts'

import * as m500100 from './20261123500100_library_submissions.ts'
import * as m500200 from './20261123500200_library_submission_versions.ts'
import * as m500300 from './20261123500300_library_reviews.ts'
import * as m500400 from './20261123500400_library_bookmarks.ts'
import * as m500500 from './20261123500500_library_notes.ts'
import * as m600100 from './20261123600100_cases.ts'
import * as m600200 from './20261123600200_case_parties.ts'
import * as m600300 from './20261123600300_case_consultations.ts'
import * as m600400 from './20261123600400_expert_loads.ts'
import * as m600500 from './20261123600500_case_recommendations.ts'
import * as m600600 from './20261123600600_match_configs.ts'
import * as m600700 from './20261123600700_case_decisions.ts'
import * as m700100 from './20261123700100_expert_import_batches.ts'
import * as m800100 from './20261123800100_grading_configs.ts'
import * as m800200 from './20261123800200_grading_rounds.ts'
import * as m800300 from './20261123800300_grading_round_events.ts'
import * as m800400 from './20261123800400_mediator_case_stats.ts'
import * as m800500 from './20261123800500_grading_applications.ts'
import * as m800600 from './20261123800600_grading_attachments.ts'
import * as m800700 from './20261123800700_grading_panel_members.ts'
import * as m800800 from './20261123800800_grading_reviewer_conflicts.ts'
import * as m800900 from './20261123800900_grading_assignments.ts'
import * as m801000 from './20261123801000_grading_calibrations.ts'
import * as m801100 from './20261123801100_grading_objections.ts'
import * as m801200 from './20261123801200_mediator_grades.ts'
import * as m801300 from './20261123801300_grade_certificates.ts'
import * as m801400 from './20261123801400_training_records_review.ts'
import * as m801500 from './20261123801500_statistics_indexes.ts'
import * as m20200100 from './20261205200100_api_clients.ts'
import * as m20200200 from './20261205200200_api_referrals.ts'
// @directory-imports (issue 12/11 helpers add their imports below this line)
import * as m10100100 from './20261205100100_organisations_services.ts'
import * as m10100200 from './20261205100200_organisations_opening_hours.ts'
import * as m10100300 from './20261205100300_organisation_dispute_types.ts'
import * as m10100400 from './20261205100400_organisation_dispute_types_by_type.ts'
import * as m10100500 from './20261205100500_directory_mediator_preferences.ts'
// @api-imports (issue 12/11 helpers add their imports below this line)
import * as m20200300 from './20261205200300_api_access_tokens.ts'
import * as m20200400 from './20261205200400_api_access_tokens_client.ts'
import * as m20200500 from './20261205200500_api_rate_windows.ts'
import * as m20200600 from './20261205200600_api_referrals_request_hash.ts'
// @webhooks-imports (issue 12/11 helpers add their imports below this line)
import * as m25250100 from './20261205250100_webhook_events.ts'
import * as m25250200 from './20261205250200_webhook_deliveries.ts'
import * as m25250300 from './20261205250300_webhook_deliveries_due.ts'
import * as m25250400 from './20261205250400_webhook_deliveries_client.ts'
import * as m25250500 from './20261205250500_webhook_attempts.ts'
import * as m25250600 from './20261205250600_webhook_events_case.ts'
// @roster-imports (issue 12/11 helpers add their imports below this line)
import * as m20300100 from './20261205300100_roster_sources.ts'
import * as m20300200 from './20261205300200_roster_org_links.ts'
import * as m20300300 from './20261205300300_roster_org_links_org.ts'
import * as m20300400 from './20261205300400_roster_runs.ts'
import * as m20300500 from './20261205300500_roster_runs_history.ts'
// @twofactor-imports (issue 12/11 helpers add their imports below this line)
import * as m20400100 from './20261205400100_user_two_factor.ts'
import * as m20400200 from './20261205400200_two_factor_recovery_codes.ts'
import * as m20400300 from './20261205400300_two_factor_recovery_codes_user.ts'
import * as m20400400 from './20261205400400_two_factor_pending.ts'
import * as m20400500 from './20261205400500_two_factor_pending_user.ts'
import * as m20400600 from './20261205400600_sessions_reauthenticated_at.ts'
// @reliability-imports (issue 12/11 helpers add their imports below this line)
// @retention-imports (issue 11 helper adds its imports below this line)
import * as m06100100 from './20261206100100_cases_parties_purged_at.ts'
import * as m06100200 from './20261206100200_cases_retention_index.ts'
// @jobs-imports (issue 9 helper adds its imports below this line)
import * as m30200100 from './20261206200100_background_jobs.ts'
import * as m30200200 from './20261206200200_background_jobs_open.ts'
import * as m30200300 from './20261206200300_background_jobs_owner.ts'
import * as m30200400 from './20261206200400_background_jobs_due.ts'
import * as m30200500 from './20261206200500_background_jobs_expires.ts'
// @perf-imports (issue 10 helper adds its imports below this line)
import * as m06300100 from './20261206300100_cases_region_registered_index.ts'
import * as m06300200 from './20261206300200_training_records_online_index.ts'
import * as m06300300 from './20261206300300_case_consultations_status_invited_index.ts'
// @figures-imports
import * as m06400100 from './20261206400100_training_org_figures.ts'
import * as m06400200 from './20261206400200_training_records_person_completed_index.ts'
import * as m06400300 from './20261206400300_drill_attempts_region_index.ts'
import * as m06400400 from './20261206400400_drill_attempts_by_drill_covering.ts'

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
  '20261123400100_drill_attempts': m400100,
  '20261123400200_drill_grades': m400200,
  '20261123400300_drill_events': m400300,
  '20261123300100_training_progress': m300100,
  '20261123300200_training_records': m300200,
  '20261123300300_training_certificates': m300300,
  '20261123300400_training_sessions': m300400,
  '20261123300500_training_plans': m300500,
  '20261123500100_library_submissions': m500100,
  '20261123500200_library_submission_versions': m500200,
  '20261123500300_library_reviews': m500300,
  '20261123500400_library_bookmarks': m500400,
  '20261123500500_library_notes': m500500,
  '20261123600100_cases': m600100,
  '20261123600200_case_parties': m600200,
  '20261123600300_case_consultations': m600300,
  '20261123600400_expert_loads': m600400,
  '20261123600500_case_recommendations': m600500,
  '20261123600600_match_configs': m600600,
  '20261123600700_case_decisions': m600700,
  '20261123700100_expert_import_batches': m700100,
  '20261123800100_grading_configs': m800100,
  '20261123800200_grading_rounds': m800200,
  '20261123800300_grading_round_events': m800300,
  '20261123800400_mediator_case_stats': m800400,
  '20261123800500_grading_applications': m800500,
  '20261123800600_grading_attachments': m800600,
  '20261123800700_grading_panel_members': m800700,
  '20261123800800_grading_reviewer_conflicts': m800800,
  '20261123800900_grading_assignments': m800900,
  '20261123801000_grading_calibrations': m801000,
  '20261123801100_grading_objections': m801100,
  '20261123801200_mediator_grades': m801200,
  '20261123801300_grade_certificates': m801300,
  '20261123801400_training_records_review': m801400,
  '20261123801500_statistics_indexes': m801500,
  '20261205200100_api_clients': m20200100,
  '20261205200200_api_referrals': m20200200,
  // @directory-entries
  '20261205100100_organisations_services': m10100100,
  '20261205100200_organisations_opening_hours': m10100200,
  '20261205100300_organisation_dispute_types': m10100300,
  '20261205100400_organisation_dispute_types_by_type': m10100400,
  '20261205100500_directory_mediator_preferences': m10100500,
  // @api-entries
  '20261205200300_api_access_tokens': m20200300,
  '20261205200400_api_access_tokens_client': m20200400,
  '20261205200500_api_rate_windows': m20200500,
  '20261205200600_api_referrals_request_hash': m20200600,
  // @webhooks-entries
  '20261205250100_webhook_events': m25250100,
  '20261205250200_webhook_deliveries': m25250200,
  '20261205250300_webhook_deliveries_due': m25250300,
  '20261205250400_webhook_deliveries_client': m25250400,
  '20261205250500_webhook_attempts': m25250500,
  '20261205250600_webhook_events_case': m25250600,
  // @roster-entries
  '20261205300100_roster_sources': m20300100,
  '20261205300200_roster_org_links': m20300200,
  '20261205300300_roster_org_links_org': m20300300,
  '20261205300400_roster_runs': m20300400,
  '20261205300500_roster_runs_history': m20300500,
  // @twofactor-entries
  '20261205400100_user_two_factor': m20400100,
  '20261205400200_two_factor_recovery_codes': m20400200,
  '20261205400300_two_factor_recovery_codes_user': m20400300,
  '20261205400400_two_factor_pending': m20400400,
  '20261205400500_two_factor_pending_user': m20400500,
  '20261205400600_sessions_reauthenticated_at': m20400600,
  // @reliability-entries
  // @retention-entries
  '20261206100100_cases_parties_purged_at': m06100100,
  '20261206100200_cases_retention_index': m06100200,
  // @jobs-entries
  '20261206200100_background_jobs': m30200100,
  '20261206200200_background_jobs_open': m30200200,
  '20261206200300_background_jobs_owner': m30200300,
  '20261206200400_background_jobs_due': m30200400,
  '20261206200500_background_jobs_expires': m30200500,
  // @perf-entries
  '20261206300100_cases_region_registered_index': m06300100,
  '20261206300200_training_records_online_index': m06300200,
  '20261206300300_case_consultations_status_invited_index': m06300300,
  // @figures-entries
  '20261206400100_training_org_figures': m06400100,
  '20261206400200_training_records_person_completed_index': m06400200,
  '20261206400300_drill_attempts_region_index': m06400300,
  '20261206400400_drill_attempts_by_drill_covering': m06400400,
}
