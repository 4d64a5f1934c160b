import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { isId } from '#app/lib/ids.ts'
import type { MessageKey } from '#app/lib/i18n.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { type AuthUser, actorOf, requirePermission, requireRecordAccess } from '#app/modules/auth/authz.server.ts'
import { formatHundredths } from '#app/modules/grading/aggregate.ts'
import {
  addPanelMember,
  declareConflict,
  getReviewRound,
  panelView,
  reassign,
  removePanelMember,
  roundScope,
  updateCommittee,
} from '#app/modules/grading/panel.server.ts'
import {
  COMMITTEE_KINDS,
  committeeMemberSchema,
  committeeRowsFrom,
  conflictFormSchema,
  memberFormSchema,
  reassignFormSchema,
} from '#app/modules/grading/review-schemas.ts'
import { fields, z } from '#app/lib/validation.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'gradingReview.panel.title')

async function loadManagedRound(request: Request, user: AuthUser, roundId: string | undefined) {
  const db = getDb()
  const round = isId(roundId ?? '') ? await getReviewRound(db, roundId!) : null
  if (!round) notFound()
  await requireRecordAccess(request, user, 'grading:manage', roundScope(round))
  return { db, round }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'grading:manage')
  const { db, round } = await loadManagedRound(request, user, params.roundId)
  const view = await panelView(db, round)
  return {
    round: {
      id: round.id,
      title: round.title,
      status: round.status,
      version: round.version,
      committee: round.committee,
      associationName: round.associationName,
    },
    grades: round.config.grades.map((g) => ({ code: g.code, name: g.name })),
    rubric: round.config.rubric.map((c) => ({ key: c.key, label: c.label })),
    view,
  }
}

type ActionData = {
  intent: string
  formError?: MessageKey
  fieldErrors?: Record<string, string>
  values?: Record<string, string>
  committee?: { name: string; affiliation: string; kind: string }[]
}

const versionSchema = z.object({ version: fields.version() })

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'grading:manage')
  const { db, round } = await loadManagedRound(request, user, params.roundId)
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  const now = new Date().toISOString()
  const self = `/grading/rounds/${round.id}/panel`
  const values = Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)]))
  const refuse = (formError: MessageKey, status = 409) => data<ActionData>({ intent, formError, values }, { status })
  const done = async (action: string, recordId: string, message: MessageKey, detail?: Record<string, unknown>) => {
    await audit(db, request, actorOf(user), { action, recordType: 'grading_round', recordId, detail })
    return redirectWithFlash(self, { kind: 'success', message })
  }

  if (intent === 'add-member' || intent === 'remove-member') {
    const parsed = memberFormSchema.safeParse(values)
    if (!parsed.success) return refuse('gradingReview.error.notReviewer', 400)
    const result =
      intent === 'add-member'
        ? await addPanelMember(db, round, parsed.data.userId, now)
        : await removePanelMember(db, round, parsed.data.userId)
    if (!result.ok) return refuse(result.error)
    return intent === 'add-member'
      ? done('grading.panel.add', round.id, 'gradingReview.flash.memberAdded', { userId: parsed.data.userId })
      : done('grading.panel.remove', round.id, 'gradingReview.flash.memberRemoved', { userId: parsed.data.userId })
  }

  if (intent === 'committee') {
    const rows = committeeRowsFrom(form)
    const version = versionSchema.safeParse(values)
    const fieldErrors: Record<string, string> = {}
    const members = []
    for (const [i, row] of rows.entries()) {
      const parsed = committeeMemberSchema.safeParse(row)
      if (parsed.success) members.push(parsed.data)
      else fieldErrors[`row.${i}`] = String(i + 1)
    }
    if (!version.success || Object.keys(fieldErrors).length)
      return data<ActionData>({ intent, fieldErrors, committee: rows, formError: 'gradingReview.error.fixBelow' }, { status: 400 })
    const result = await updateCommittee(db, round, version.data.version, members, now)
    if (!result.ok) return data<ActionData>({ intent, formError: result.error, committee: rows }, { status: 409 })
    return done('grading.panel.committee', round.id, 'gradingReview.flash.committeeSaved', { members: members.length })
  }

  if (intent === 'conflict') {
    const parsed = conflictFormSchema.safeParse(values)
    if (!parsed.success) {
      const fieldErrors = Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]))
      return data<ActionData>({ intent, fieldErrors, values, formError: 'gradingReview.error.fixBelow' }, { status: 400 })
    }
    const application = await db
      .selectFrom('grading_applications')
      .select(['id', 'person_id'])
      .where('id', '=', parsed.data.applicationId)
      .where('round_id', '=', round.id)
      .executeTakeFirst()
    if (!application) return refuse('gradingReview.error.applicationMissing', 400)
    const member = await db
      .selectFrom('grading_panel_members')
      .select('id')
      .where('round_id', '=', round.id)
      .where('user_id', '=', parsed.data.userId)
      .where('active', '=', 1)
      .executeTakeFirst()
    if (!member) return refuse('gradingReview.error.notOnPanel', 400)
    const result = await declareConflict(
      db,
      round,
      { userId: parsed.data.userId, personId: application.person_id, reason: parsed.data.reason },
      now,
    )
    if (!result.ok) return refuse(result.error)
    return done(
      'grading.panel.conflict',
      round.id,
      result.value.reassignedFrom ? 'gradingReview.flash.conflictReassigned' : 'gradingReview.flash.conflictAdded',
      { userId: parsed.data.userId, applicationId: application.id },
    )
  }

  if (intent === 'reassign') {
    const parsed = reassignFormSchema.safeParse(values)
    if (!parsed.success) return refuse('gradingReview.error.notOnPanel', 400)
    const result = await reassign(db, round, parsed.data.assignmentId, parsed.data.toUserId, now)
    if (!result.ok) return refuse(result.error)
    return done('grading.panel.reassign', round.id, 'gradingReview.flash.reassigned', {
      assignmentId: parsed.data.assignmentId,
      applicationId: result.value.applicationId,
      from: result.value.from,
      to: result.value.to,
    })
  }
  return refuse('gradingReview.error.assignmentMissing', 400)
}

function FormError({ actionData, intent }: { actionData: ActionData | undefined; intent: string | string[] }) {
  const t = useT()
  const intents = Array.isArray(intent) ? intent : [intent]
  if (!actionData?.formError || !intents.includes(actionData.intent)) return null
  return (
    <p role="alert" className="mb-3 rounded border border-red-300 bg-red-50 p-2 text-sm text-red-800" data-testid="panel-error">
      {t(actionData.formError)}
    </p>
  )
}

export default function PanelPage() {
  const t = useT()
  const { round, grades, rubric, view } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>() as ActionData | undefined
  const busy = useNavigation().state !== 'idle'
  const gradeName = (code: string) => grades.find((g) => g.code === code)?.name ?? code
  const committeeRows = actionData?.intent === 'committee' && actionData.committee ? actionData.committee : round.committee
  const blankRows = Array.from({ length: 3 }, () => ({ name: '', affiliation: '', kind: '' }))
  const rows = [...committeeRows, ...blankRows]
  const conflictValues = actionData?.intent === 'conflict' ? (actionData.values ?? {}) : {}
  const criterionLabel = (key: string) => rubric.find((c) => c.key === key)?.label ?? key
  return (
    <>
      <PageHeader
        title={t('gradingReview.panel.title')}
        crumbs={[{ label: round.title, to: `/grading/rounds/${round.id}` }, { label: t('gradingReview.panel.title') }]}
      />
      <p className="mb-4 break-words text-sm text-slate-600">
        {round.associationName} · {round.title}
      </p>

      <section className="card mb-6 min-w-0" aria-labelledby="members">
        <h2 id="members" className="text-lg">
          {t('gradingReview.panel.members')}
        </h2>
        <p className="mb-3 text-sm text-slate-600">{t('gradingReview.panel.membersHint')}</p>
        <FormError actionData={actionData} intent={['add-member', 'remove-member']} />
        {view.members.length === 0 ? (
          <p className="text-sm">{t('gradingReview.panel.noMembers')}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-sm" data-testid="panel-members">
              <thead>
                <tr>
                  <th className="text-left">{t('gradingReview.panel.member')}</th>
                  <th className="text-left">{t('gradingReview.panel.memberOrg')}</th>
                  <th className="text-right">{t('gradingReview.panel.load')}</th>
                  <th className="text-right">{t('gradingReview.panel.submitted')}</th>
                  <th className="text-right">{t('gradingReview.panel.calibrated')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {view.members.map((m) => (
                  <tr key={m.userId}>
                    <td>{m.displayName}</td>
                    <td>{m.orgName ?? '—'}</td>
                    <td className="text-right">{m.load}</td>
                    <td className="text-right">{m.submitted}</td>
                    <td className="text-right">{m.calibrated}</td>
                    <td className="text-right">
                      <Form method="post">
                        <input type="hidden" name="intent" value="remove-member" />
                        <input type="hidden" name="userId" value={m.userId} />
                        <button type="submit" className="btn-secondary" disabled={busy}>
                          {t('gradingReview.panel.remove')}
                        </button>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {view.candidates.length ? (
          <Form method="post" className="mt-3 flex flex-wrap items-end gap-2">
            <input type="hidden" name="intent" value="add-member" />
            <div>
              <label htmlFor="add-user" className="label">
                {t('gradingReview.panel.candidate')}
              </label>
              <select id="add-user" name="userId" className="input" required>
                {view.candidates.map((c) => (
                  <option key={c.userId} value={c.userId}>
                    {c.displayName}
                    {c.orgName ? `（${c.orgName}）` : ''}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="btn-primary" disabled={busy}>
              {t('gradingReview.panel.add')}
            </button>
          </Form>
        ) : (
          <p className="mt-3 text-sm text-slate-600">{t('gradingReview.panel.noCandidates')}</p>
        )}
      </section>

      <section className="card mb-6 min-w-0" aria-labelledby="committee">
        <h2 id="committee" className="text-lg">
          {t('gradingReview.committee.title')}
        </h2>
        <p className="mb-3 text-sm text-slate-600">{t('gradingReview.committee.hint')}</p>
        <FormError actionData={actionData} intent="committee" />
        <Form method="post" className="space-y-2">
          <input type="hidden" name="intent" value="committee" />
          <input type="hidden" name="version" value={round.version} />
          {rows.map((row, i) => {
            const bad = actionData?.intent === 'committee' && actionData.fieldErrors?.[`row.${i}`]
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional form fields
              <fieldset key={i} className="flex flex-wrap gap-2" aria-label={t('gradingReview.committee.row', { row: i + 1 })}>
                <input
                  name={`name.${i}`}
                  defaultValue={row.name}
                  placeholder={t('gradingReview.committee.name')}
                  aria-label={`${t('gradingReview.committee.row', { row: i + 1 })} ${t('gradingReview.committee.name')}`}
                  maxLength={40}
                  className="input w-32"
                />
                <input
                  name={`affiliation.${i}`}
                  defaultValue={row.affiliation}
                  placeholder={t('gradingReview.committee.affiliation')}
                  aria-label={`${t('gradingReview.committee.row', { row: i + 1 })} ${t('gradingReview.committee.affiliation')}`}
                  maxLength={80}
                  className="input min-w-0 flex-1"
                />
                <select
                  name={`kind.${i}`}
                  defaultValue={row.kind}
                  aria-label={`${t('gradingReview.committee.row', { row: i + 1 })} ${t('gradingReview.committee.kind')}`}
                  className="input"
                >
                  <option value="">{t('gradingReview.committee.kind')}</option>
                  {COMMITTEE_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {t(`gradingReview.committee.kind.${k}` as MessageKey)}
                    </option>
                  ))}
                </select>
                {bad ? <p className="w-full text-sm text-red-700">{t('gradingReview.error.committeeRow', { row: i + 1 })}</p> : null}
              </fieldset>
            )
          })}
          <button type="submit" className="btn-primary" disabled={busy}>
            {t('gradingReview.committee.save')}
          </button>
        </Form>
      </section>

      <section className="card mb-6 min-w-0" aria-labelledby="conflicts">
        <h2 id="conflicts" className="text-lg">
          {t('gradingReview.conflicts.title')}
        </h2>
        <p className="mb-3 text-sm text-slate-600">{t('gradingReview.conflicts.hint')}</p>
        <FormError actionData={actionData} intent="conflict" />
        {view.conflicts.length === 0 ? (
          <p className="text-sm">{t('gradingReview.conflicts.none')}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-sm" data-testid="conflicts">
              <thead>
                <tr>
                  <th className="text-left">{t('gradingReview.conflicts.reviewer')}</th>
                  <th className="text-left">{t('gradingReview.conflicts.applicant')}</th>
                  <th className="text-left">{t('gradingReview.conflicts.reason')}</th>
                  <th className="text-left">{t('gradingReview.conflicts.recordedAt')}</th>
                </tr>
              </thead>
              <tbody>
                {view.conflicts.map((c) => (
                  <tr key={c.id}>
                    <td>{c.reviewerName}</td>
                    <td>
                      {c.applicantName}
                      {c.blindCode ? ` (${c.blindCode})` : ''}
                    </td>
                    <td className="break-words">{c.reason}</td>
                    <td>{t.dateTime(c.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {view.members.length && view.applications.length ? (
          <Form method="post" className="mt-3 flex flex-wrap items-end gap-2">
            <input type="hidden" name="intent" value="conflict" />
            <div>
              <label htmlFor="conflict-user" className="label">
                {t('gradingReview.conflicts.reviewer')}
              </label>
              <select id="conflict-user" name="userId" className="input" defaultValue={conflictValues.userId} required>
                {view.members.map((m) => (
                  <option key={m.userId} value={m.userId}>
                    {m.displayName}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label htmlFor="conflict-app" className="label">
                {t('gradingReview.conflicts.applicant')}
              </label>
              <select id="conflict-app" name="applicationId" className="input" defaultValue={conflictValues.applicationId} required>
                {view.applications.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.applicantName} ({a.blindCode})
                  </option>
                ))}
              </select>
            </div>
            <div className="min-w-0 flex-1">
              <label htmlFor="conflict-reason" className="label">
                {t('gradingReview.conflicts.reason')}
              </label>
              <input
                id="conflict-reason"
                name="reason"
                className="input w-full"
                maxLength={500}
                required
                defaultValue={conflictValues.reason}
              />
              {actionData?.intent === 'conflict' && actionData.fieldErrors?.reason ? (
                <p className="text-sm text-red-700">{t.ref(actionData.fieldErrors.reason)}</p>
              ) : null}
            </div>
            <button type="submit" className="btn-primary" disabled={busy}>
              {t('gradingReview.conflicts.add')}
            </button>
          </Form>
        ) : null}
      </section>

      <section className="card mb-6 min-w-0" aria-labelledby="assignments">
        <h2 id="assignments" className="text-lg">
          {t('gradingReview.assignments.title')}
        </h2>
        <FormError actionData={actionData} intent="reassign" />
        {view.applications.length === 0 ? (
          <p className="text-sm">{t('gradingReview.assignments.none')}</p>
        ) : (
          <ul className="space-y-4" data-testid="assignment-table">
            {view.applications.map((a) => (
              <li key={a.id} className="border-b border-slate-200 pb-3" data-testid={`application-${a.blindCode}`}>
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <p className="font-medium">
                    {a.blindCode} · {a.applicantName}（{a.orgName}）
                  </p>
                  <p className="text-sm">
                    {gradeName(a.gradeCode)} · {t(`gradingReview.appStatus.${a.status}` as MessageKey)}
                    {a.finalScore !== null ? ` · ${t('gradingReview.assignments.finalScore')} ${formatHundredths(a.finalScore)}` : ''}
                    {a.meanZ !== null ? ` · ${t('gradingReview.z.applicationMean')} ${formatHundredths(a.meanZ)}` : ''}
                  </p>
                </div>
                {a.discrepancy?.discrepant ? (
                  <p className="mt-1 text-sm font-medium text-amber-800" data-testid="discrepancy-flag">
                    {t('gradingReview.assignments.discrepancy', { spread: formatHundredths(a.discrepancy.overallSpread) })}
                    {a.discrepancy.criteria.length
                      ? ` · ${t('gradingReview.assignments.discrepancyCriteria', { criteria: a.discrepancy.criteria.map((c) => criterionLabel(c.key)).join('、') })}`
                      : ''}
                  </p>
                ) : null}
                <ul className="mt-2 space-y-1 text-sm">
                  {a.assignments.map((x) => (
                    <li key={x.id} className="flex flex-wrap items-center gap-2">
                      <span className={x.status === 'removed' ? 'text-slate-400 line-through' : ''}>
                        {x.reviewerName} · {t(`gradingReview.reason.${x.reason}` as MessageKey)} ·{' '}
                        {t(`gradingReview.assignmentStatus.${x.status}` as MessageKey)}
                        {x.total !== null ? ` · ${formatHundredths(x.total)}` : ''}
                      </span>
                      {x.status === 'assigned' && round.status === 'scoring' ? (
                        <Form method="post" className="flex flex-wrap items-center gap-1">
                          <input type="hidden" name="intent" value="reassign" />
                          <input type="hidden" name="assignmentId" value={x.id} />
                          <label htmlFor={`reassign-${x.id}`} className="sr-only">
                            {t('gradingReview.assignments.reassign')}
                          </label>
                          <select id={`reassign-${x.id}`} name="toUserId" className="input py-1" required>
                            {view.members
                              .filter((m) => !a.assignments.some((y) => y.reviewerUserId === m.userId))
                              .map((m) => (
                                <option key={m.userId} value={m.userId}>
                                  {m.displayName}
                                </option>
                              ))}
                          </select>
                          <button type="submit" className="btn-secondary py-1" disabled={busy}>
                            {t('gradingReview.assignments.reassignSubmit')}
                          </button>
                        </Form>
                      ) : null}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card mb-6 min-w-0" aria-labelledby="zscores">
        <h2 id="zscores" className="text-lg">
          {t('gradingReview.z.title')}
        </h2>
        <p className="mb-3 text-sm text-slate-600">{t('gradingReview.z.hint')}</p>
        {view.zStats.length === 0 ? (
          <p className="text-sm">{t('gradingReview.z.none')}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-sm" data-testid="z-scores">
              <thead>
                <tr>
                  <th className="text-left">{t('gradingReview.z.reviewer')}</th>
                  <th className="text-right">{t('gradingReview.z.count')}</th>
                  <th className="text-right">{t('gradingReview.z.mean')}</th>
                  <th className="text-right">{t('gradingReview.z.sd')}</th>
                </tr>
              </thead>
              <tbody>
                {view.zStats.map((s) => (
                  <tr key={s.reviewerUserId}>
                    <td>{s.displayName}</td>
                    <td className="text-right">{s.count}</td>
                    <td className="text-right">{formatHundredths(s.mean)}</td>
                    <td className="text-right">{s.sd === null ? '—' : formatHundredths(s.sd)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <Link to={`/grading/rounds/${round.id}`}>{round.title}</Link>
    </>
  )
}
