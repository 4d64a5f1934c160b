/**
 * Ranking a round's scored applications per grade (G2), called by the scoring → notice transition
 * inside its transaction. The arithmetic and the tie rule are in aggregate.ts (ADR 016); this file
 * reads the submitted reviews, recomputes every final score from them (the reviews are the source
 * of truth), and writes final_score, rank_in_grade, status and outcome_reason.
 */
import type { Executor } from '#app/lib/db.server.ts'
import { type RankEntry, formatHundredths, finalScore, mean, rankApplications } from './aggregate.ts'
import type { GradingConfig } from './config.ts'
import type { EvidenceSnapshot } from './evidence.ts'
import { parseStoredScores } from './scoring.server.ts'

function disputesFrom(evidenceJson: string): number {
  try {
    const evidence = JSON.parse(evidenceJson) as Partial<EvidenceSnapshot>
    return Number(evidence.caseStats?.totals?.disputes ?? 0) || 0
  } catch {
    return 0
  }
}

/**
 * Sets final_score, rank_in_grade and status proposed / not_awarded for every 'scored'
 * application of the round. The reason is stored as a sentence (it is part of the record shown
 * on the round page and, for the applicant, after publication), with the numbers it rests on.
 */
export async function rankRound(trx: Executor, roundId: string, config: GradingConfig, quotas: Record<string, number>): Promise<void> {
  const applications = await trx
    .selectFrom('grading_applications')
    .select(['id', 'grade_code', 'blind_code', 'submitted_at', 'evidence'])
    .where('round_id', '=', roundId)
    .where('status', '=', 'scored')
    .execute()
  if (applications.length === 0) return
  const reviews = await trx
    .selectFrom('grading_assignments')
    .select(['application_id', 'total', 'scores'])
    .where('round_id', '=', roundId)
    .where('status', '=', 'submitted')
    .execute()
  const firstKey = config.rubric[0]!.key
  const entries: RankEntry[] = []
  for (const a of applications) {
    const own = reviews.filter((r) => r.application_id === a.id)
    if (own.length === 0) continue
    entries.push({
      applicationId: a.id,
      gradeCode: a.grade_code,
      finalScore: finalScore(
        own.map((r) => Number(r.total)),
        config,
      ),
      firstCriterionMean: mean(own.map((r) => parseStoredScores(r.scores)[firstKey]?.points ?? 0)),
      disputesMediated: disputesFrom(a.evidence),
      submittedAt: a.submitted_at,
      blindCode: a.blind_code,
    })
  }
  const now = new Date().toISOString()
  for (const result of rankApplications(entries, config.passScore, quotas)) {
    const entry = entries.find((e) => e.applicationId === result.applicationId)!
    const reason =
      result.outcome === 'below_pass_score'
        ? `最终得分 ${formatHundredths(entry.finalScore)} 分，低于合格分数线 ${formatHundredths(config.passScore)} 分`
        : result.outcome === 'beyond_quota'
          ? `本等级名额 ${quotas[entry.gradeCode]} 名，排名第 ${result.rank} 名，超出名额`
          : null
    await trx
      .updateTable('grading_applications')
      .set((eb) => ({
        final_score: entry.finalScore,
        rank_in_grade: result.rank,
        status: result.outcome === 'proposed' ? 'proposed' : 'not_awarded',
        outcome_reason: reason,
        version: eb('version', '+', 1),
        updated_at: now,
      }))
      .where('id', '=', result.applicationId)
      .where('status', '=', 'scored')
      .execute()
  }
}
