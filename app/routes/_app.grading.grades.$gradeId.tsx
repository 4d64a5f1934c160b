import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors, SelectField, TextareaField, TextField } from '#app/components/ui/form.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { notFound } from '#app/lib/http.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { todayInChina } from '#app/lib/time.ts'
import { actorOf, requirePermission, requireRecordAccess } from '#app/modules/auth/authz.server.ts'
import { DEFAULT_GRADING_CONFIG } from '#app/modules/grading/config.ts'
import { latestConfig } from '#app/modules/grading/configs.server.ts'
import { changeGrade, getManagedGrade } from '#app/modules/grading/history.server.ts'
import { gradeChangeSchema } from '#app/modules/grading/notice-schemas.ts'
import { nextWorkingDay } from '#app/modules/grading/rounds.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'gradingNotice.change.title')

async function load(request: Request, gradeId: string | undefined) {
  const user = await requirePermission(request, 'grading:manage')
  const db = getDb()
  const grade = await getManagedGrade(db, gradeId ?? '')
  if (!grade) notFound()
  await requireRecordAccess(request, user, 'grading:manage', { type: 'mediator_grade', id: grade.id, orgId: grade.associationOrgId })
  const config = (await latestConfig(db, grade.associationOrgId))?.config ?? DEFAULT_GRADING_CONFIG
  return { user, db, grade, config }
}

/** Demotion or revocation of one current grade, by the association that awarded it. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { grade, config } = await load(request, params.gradeId)
  const lower = config.grades.filter((g) => g.rank > grade.gradeRank).sort((a, b) => a.rank - b.rank)
  return {
    grade,
    lower: lower.map((g) => ({ value: g.code, label: g.name })),
    noticeDays: config.noticeWorkingDays,
    defaultStart: nextWorkingDay(todayInChina()),
  }
}

const ERRORS = {
  stale: 'gradingNotice.change.stale',
  notLower: 'gradingNotice.change.notLower',
  noticeInPast: 'gradingNotice.change.noticeInPast',
} as const

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, db, grade, config } = await load(request, params.gradeId)
  const submission = parseWithZod(await request.formData(), { schema: gradeChangeSchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  const association = await db.selectFrom('organisations').select('name').where('id', '=', grade.associationOrgId).executeTakeFirstOrThrow()
  const result = await changeGrade(
    db,
    request,
    { ...actorOf(user), userId: user.userId },
    grade,
    config,
    association.name,
    submission.value,
  )
  if (!result.ok) {
    if (result.error === 'notLower') return data(submission.reply({ fieldErrors: { toGradeCode: [ERRORS.notLower] } }), { status: 400 })
    if (result.error === 'noticeInPast')
      return data(submission.reply({ fieldErrors: { noticeStartOn: [ERRORS.noticeInPast] } }), { status: 400 })
    return data(submission.reply({ formErrors: [ERRORS.stale] }), { status: 409 })
  }
  return redirectWithFlash(`/grading/history/${grade.personId}`, {
    kind: 'success',
    message: 'gradingNotice.change.done',
    params: { url: `/notice/grade-change/${grade.id}` },
  })
}

export default function ChangeGradePage() {
  const t = useT()
  const { grade, lower, noticeDays, defaultStart } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: `grade-change-${grade.id}`,
    lastResult,
    constraint: getZodConstraint(gradeChangeSchema),
    defaultValue: { kind: lower.length ? 'demote' : 'revoke', toGradeCode: lower[0]?.value ?? '', noticeStartOn: defaultStart },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: gradeChangeSchema }),
    shouldRevalidate: 'onBlur',
  })
  return (
    <>
      <PageHeader
        title={t('gradingNotice.change.title')}
        crumbs={[{ label: t('gradingNotice.grades.title'), to: '/grading/grades' }, { label: grade.name }]}
      />
      <p className="mb-4" data-testid="current-grade">
        {grade.name}（{grade.orgName ?? ''}）·{' '}
        {t('gradingNotice.change.current', { grade: grade.gradeName, from: t.date(grade.validFrom), until: t.date(grade.validUntil) })}
      </p>
      <Form method="post" {...getFormProps(form)} className="card max-w-xl space-y-4">
        <FormErrors errors={form.errors} />
        <input type="hidden" name="version" value={grade.version} />
        <SelectField
          meta={fields.kind}
          label={t('gradingNotice.change.kind')}
          required
          options={[
            ...(lower.length ? [{ value: 'demote', label: t('gradingNotice.change.kind.demote') }] : []),
            { value: 'revoke', label: t('gradingNotice.change.kind.revoke') },
          ]}
        />
        {lower.length ? (
          <SelectField meta={fields.toGradeCode} label={t('gradingNotice.change.toGrade')} options={lower} />
        ) : (
          <p className="text-sm text-slate-700">{t('gradingNotice.change.noLower')}</p>
        )}
        <TextareaField meta={fields.reason} label={t('gradingNotice.change.reason')} required rows={4} />
        <TextField
          meta={fields.noticeStartOn}
          label={t('gradingNotice.change.noticeStartOn')}
          type="date"
          required
          hint={t('gradingNotice.change.noticeHint', { days: noticeDays })}
        />
        <p className="text-sm text-slate-700">{t('gradingNotice.change.confirm')}</p>
        <div className="flex flex-wrap gap-2">
          <button type="submit" className="btn-danger">
            {t('gradingNotice.change.submit')}
          </button>
          <Link to="/grading/grades" className="btn-secondary">
            {t('form.cancel')}
          </Link>
        </div>
      </Form>
    </>
  )
}
