/**
 * Loading a round or an application for a request, with the scope check every grading page of G1
 * makes: the association (grading:manage), viewers in the region (grading:view), and the applicant
 * side (grading:apply: the mediator or their org manager) for what concerns them. Out of scope: 404.
 */
import { getDb } from '#app/lib/db.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { isId } from '#app/lib/ids.ts'
import { type AuthUser, may, requireRecordAccess, requireUser } from '#app/modules/auth/authz.server.ts'
import {
  type ApplicationAccess,
  type ApplicationDetail,
  applicationAccess,
  getApplication,
  withinAssociation,
} from './applications.server.ts'
import { getRound, type RoundInfo, roundScope } from './rounds.server.ts'

export type RoundAccess = 'manage' | 'view' | 'applicant'

/** Region paths of the organisations where the user applies (their own as a mediator, or those they manage). */
export async function applicantRegionPaths(user: AuthUser): Promise<string[]> {
  const paths = user.grants.filter((g) => g.role === 'org_manager' && g.regionPath).map((g) => g.regionPath!)
  if (user.personId && user.grants.some((g) => g.role === 'mediator')) {
    const row = await getDb()
      .selectFrom('mediators as m')
      .innerJoin('organisations as o', 'o.id', 'm.org_id')
      .innerJoin('regions as r', 'r.code', 'o.region_code')
      .select('r.path')
      .where('m.person_id', '=', user.personId)
      .executeTakeFirst()
    if (row) paths.push(row.path)
  }
  return [...new Set(paths)]
}

export async function roundAccess(user: AuthUser, round: RoundInfo): Promise<RoundAccess | null> {
  if (may(user, 'grading:manage', roundScope(round))) return 'manage'
  if (may(user, 'grading:view', roundScope(round))) return 'view'
  if (round.status !== 'draft' && user.grants.some((g) => g.role === 'mediator' || g.role === 'org_manager')) {
    const paths = await applicantRegionPaths(user)
    if (paths.some((regionPath) => withinAssociation(round, { regionPath }))) return 'applicant'
  }
  return null
}

export async function requireRound(request: Request, roundId: string | undefined, need: RoundAccess[] = ['manage', 'view', 'applicant']) {
  const user = await requireUser(request)
  if (!isId(roundId)) notFound()
  const round = await getRound(getDb(), roundId)
  if (!round) notFound()
  const access = await roundAccess(user, round)
  if (!access || !need.includes(access)) {
    await requireRecordAccess(request, user, need.includes('view') ? 'grading:view' : 'grading:manage', {
      type: 'grading_round',
      id: round.id,
      ...roundScope(round),
      // Never reached: the check above already failed; this logs the denial and answers 404/403.
      personId: '\u0000',
    })
    notFound()
  }
  return { user, round, access }
}

export async function requireApplication(
  request: Request,
  applicationId: string | undefined,
): Promise<{ user: AuthUser; round: RoundInfo; application: ApplicationDetail; access: ApplicationAccess }> {
  const user = await requireUser(request)
  if (!isId(applicationId)) notFound()
  const db = getDb()
  const application = await getApplication(db, applicationId)
  const round = application ? await getRound(db, application.roundId) : null
  if (!application || !round) notFound()
  const access = applicationAccess(user, application, round)
  if (!access) {
    await requireRecordAccess(request, user, 'grading:view', {
      type: 'grading_application',
      id: application.id,
      ...roundScope(round),
      personId: application.personId,
    })
    notFound()
  }
  return { user, round, application, access }
}
