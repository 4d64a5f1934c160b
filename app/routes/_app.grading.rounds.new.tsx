import { getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useState } from 'react'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors, SelectField, TextareaField, TextField } from '#app/components/ui/form.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { may, requirePermission } from '#app/modules/auth/authz.server.ts'
import { latestConfig } from '#app/modules/grading/configs.server.ts'
import { DEFAULT_GRADING_CONFIG } from '#app/modules/grading/config.ts'
import { createRound, managedAssociations } from '#app/modules/grading/rounds.server.ts'
import { parseCommittee, roundSchema } from '#app/modules/grading/schemas.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'grading.round.new')

/** The associations the admin manages, each with the grades of its latest rules (the round will use that version). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'grading:manage')
  const db = getDb()
  const associations = await managedAssociations(db, user)
  return {
    associations: await Promise.all(
      associations.map(async (a) => {
        const stored = await latestConfig(db, a.id)
        const config = stored?.config ?? DEFAULT_GRADING_CONFIG
        return {
          id: a.id,
          name: a.name,
          versionNo: stored?.versionNo ?? 1,
          grades: config.grades.map((g) => ({ code: g.code, name: g.name })),
        }
      }),
    ),
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'grading:manage')
  const formData = await request.formData()
  const submission = parseWithZod(formData, { schema: roundSchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  const value = submission.value
  if (!may(user, 'grading:manage', { orgId: value.associationOrgId })) {
    return data(submission.reply({ fieldErrors: { associationOrgId: ['validation.choice'] } }), { status: 400 })
  }
  const quotas: Record<string, number> = {}
  for (const code of value.gradeCodes) {
    const raw = String(formData.get(`quota_${code}`) ?? '').trim()
    if (!raw) continue
    if (!/^\d{1,4}$/.test(raw)) return data(submission.reply({ formErrors: ['validation.number'] }), { status: 400 })
    quotas[code] = Number(raw)
  }
  const outcome = await createRound(getDb(), request, user, {
    associationOrgId: value.associationOrgId,
    title: value.title,
    gradeCodes: value.gradeCodes,
    quotas,
    opensOn: value.opensOn,
    closesOn: value.closesOn,
    committee: parseCommittee(value.committee),
  })
  if (!outcome.ok) return data(submission.reply({ fieldErrors: { [outcome.field]: [outcome.error] } }), { status: 400 })
  return redirectWithFlash(`/grading/rounds/${outcome.id}`, { kind: 'success', message: 'grading.round.created' })
}

export default function NewRound() {
  const t = useT()
  const { associations } = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'grading-round',
    lastResult,
    constraint: getZodConstraint(roundSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: roundSchema }),
    shouldRevalidate: 'onBlur',
    defaultValue: { associationOrgId: associations[0]?.id ?? '' },
  })
  const [associationId, setAssociationId] = useState(associations[0]?.id ?? '')
  // Without JavaScript every association's grades are listed; with it, only the chosen one's.
  const shown = associations.filter((a) => a.id === associationId || associations.length === 1)
  const gradeErrors = fields.gradeCodes.errors
  return (
    <>
      <PageHeader
        title={t('grading.round.new')}
        crumbs={[{ label: t('grading.title'), to: '/grading' }, { label: t('grading.round.new') }]}
      />
      <Form
        method="post"
        {...getFormProps(form)}
        className="card grid gap-4 md:grid-cols-2"
        onChange={(e) => {
          const target = e.target as HTMLSelectElement
          if (target.name === 'associationOrgId') setAssociationId(target.value)
        }}
      >
        <div className="md:col-span-2">
          <FormErrors errors={form.errors} />
        </div>
        <SelectField
          meta={fields.associationOrgId}
          label={t('grading.round.association')}
          required
          options={associations.map((a) => ({ value: a.id, label: a.name }))}
        />
        <TextField meta={fields.title} label={t('grading.round.title')} required />
        <TextField meta={fields.opensOn} label={t('grading.round.opensOn')} type="date" required />
        <TextField meta={fields.closesOn} label={t('grading.round.closesOn')} type="date" required />
        <fieldset className="md:col-span-2">
          <legend className="label">{t('grading.round.grades')}</legend>
          {(shown.length ? shown : associations).map((a) => (
            <div key={a.id} className="mb-2">
              {associations.length > 1 ? (
                <p className="text-sm text-slate-600">
                  {a.name} · {t('grading.round.configVersion', { n: a.versionNo })}
                </p>
              ) : (
                <p className="text-sm text-slate-600">{t('grading.round.configVersion', { n: a.versionNo })}</p>
              )}
              <div className="grid gap-2 sm:grid-cols-2">
                {a.grades.map((g) => (
                  <div key={g.code} className="flex flex-wrap items-center gap-2">
                    <label className="flex items-center gap-2">
                      <input type="checkbox" name="gradeCodes" value={g.code} />
                      {g.name}
                    </label>
                    <input
                      name={`quota_${g.code}`}
                      inputMode="numeric"
                      className="input w-24"
                      aria-label={t('grading.round.quota', { grade: g.name })}
                      placeholder={t('grading.round.quota', { grade: '' }).trim()}
                    />
                  </div>
                ))}
              </div>
            </div>
          ))}
          {gradeErrors?.length ? (
            <div id={fields.gradeCodes.errorId} className="field-error">
              {gradeErrors.map((e) => (
                <p key={e}>{t.ref(e)}</p>
              ))}
            </div>
          ) : null}
        </fieldset>
        <TextareaField meta={fields.committee} label={t('grading.round.committee')} className="md:col-span-2" rows={3} />
        <div className="flex gap-2 md:col-span-2">
          <button type="submit" className="btn-primary">
            {t('form.save')}
          </button>
          <Link to="/grading" className="btn-secondary">
            {t('form.cancel')}
          </Link>
        </div>
      </Form>
    </>
  )
}
