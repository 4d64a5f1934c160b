import { type FieldMetadata, getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod'
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { data } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors } from '#app/components/ui/form.tsx'
import { PageHeader } from '#app/components/ui/page-header.tsx'
import { audit } from '#app/lib/audit.server.ts'
import { getDb } from '#app/lib/db.server.ts'
import { redirectWithFlash } from '#app/lib/flash.server.ts'
import type { MessageKey } from '#app/lib/i18n.ts'
import { pageTitle } from '#app/lib/meta.ts'
import { actorOf, may, requirePermission } from '#app/modules/auth/authz.server.ts'
import { DEFAULT_GRADING_CONFIG } from '#app/modules/grading/config.ts'
import { configHistory, latestConfig, saveConfigVersion } from '#app/modules/grading/configs.server.ts'
import { managedAssociations } from '#app/modules/grading/rounds.server.ts'
import { buildConfig, configToForm } from '#app/modules/grading/rules-form.ts'
import { GENERAL_KEYS, type RulesForm, rulesFormSchema, THRESHOLD_KEYS } from '#app/modules/grading/schemas.ts'

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, 'grading.rules.title')

/** The association's rules: edit and save as a new version (rounds keep theirs), with the version history. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, 'grading:manage')
  const db = getDb()
  const associations = await managedAssociations(db, user)
  const chosen = associations.find((a) => a.id === new URL(request.url).searchParams.get('association')) ?? associations[0]
  if (!chosen) return { associations, association: null, stored: null, form: null, history: [] }
  const stored = await latestConfig(db, chosen.id)
  return {
    associations,
    association: chosen,
    stored: stored ? { versionNo: stored.versionNo, createdAt: stored.createdAt } : null,
    samples: (stored?.config ?? DEFAULT_GRADING_CONFIG).calibrationSamples.length,
    form: configToForm(stored?.config ?? DEFAULT_GRADING_CONFIG, chosen.id, stored?.versionNo ?? 0),
    history: await configHistory(db, chosen.id),
  }
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, 'grading:manage')
  const submission = parseWithZod(await request.formData(), { schema: rulesFormSchema })
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 })
  const form = submission.value
  if (!may(user, 'grading:manage', { orgId: form.associationOrgId }))
    return data(submission.reply({ formErrors: ['validation.choice'] }), { status: 400 })
  const db = getDb()
  const previous = (await latestConfig(db, form.associationOrgId))?.config ?? DEFAULT_GRADING_CONFIG
  const built = buildConfig(form, previous)
  if (!built.ok) {
    const { '': formErrors, ...fieldErrors } = built.fieldErrors
    return data(
      submission.reply({ fieldErrors, formErrors: formErrors ?? ['form.errorSummary?count=' + Object.keys(fieldErrors).length] }),
      { status: 400 },
    )
  }
  const saved = await saveConfigVersion(db, form.associationOrgId, built.config, form.baseVersion, user.userId, form.note ?? null)
  if (!saved.ok) return data(submission.reply({ formErrors: ['grading.rules.stale'] }), { status: 409 })
  await audit(db, request, actorOf(user), {
    action: 'grading.rules.save',
    recordType: 'grading_config',
    recordId: saved.config.id,
    detail: { association: form.associationOrgId, version: saved.config.versionNo },
  })
  return redirectWithFlash(`/grading/rules?association=${form.associationOrgId}`, {
    kind: 'success',
    message: 'grading.rules.saved',
    params: { n: saved.config.versionNo },
  })
}

function NumberInput({ meta, label }: { meta: FieldMetadata<unknown>; label: string }) {
  const t = useT()
  return (
    <label className="text-sm">
      <span className="label">{label}</span>
      <input
        {...getInputProps(meta as FieldMetadata<string>, { type: 'text', ariaAttributes: true })}
        inputMode="decimal"
        className="input"
      />
      {meta.errors?.map((e) => (
        <span key={e} className="field-error block">
          {t.ref(e)}
        </span>
      ))}
    </label>
  )
}

function Check({ meta, label }: { meta: FieldMetadata<unknown>; label: string }) {
  return (
    <label className="flex items-center gap-2 text-sm">
      <input {...getInputProps(meta as FieldMetadata<boolean>, { type: 'checkbox' })} />
      {label}
    </label>
  )
}

export default function RulesPage() {
  const t = useT()
  const loaded = useLoaderData<typeof loader>()
  const lastResult = useActionData<typeof action>()
  const [form, fields] = useForm<RulesForm>({
    id: `grading-rules-${loaded.association?.id ?? ''}`,
    lastResult,
    // The loader's strings are what the inputs show; the schema coerces them on submit.
    defaultValue: (loaded.form ?? undefined) as never,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: rulesFormSchema }),
    shouldRevalidate: 'onBlur',
  })
  if (!loaded.association || !loaded.form) return <PageHeader title={t('grading.rules.title')} />
  const grades = fields.grades.getFieldList()
  const rubric = fields.rubric.getFieldList()
  return (
    <>
      <PageHeader
        title={t('grading.rules.title')}
        crumbs={[{ label: t('grading.title'), to: '/grading' }, { label: t('grading.rules.title') }]}
      />
      {loaded.associations.length > 1 ? (
        <Form method="get" className="card mb-4 flex flex-wrap items-end gap-2">
          <label className="text-sm">
            <span className="label">{t('grading.rules.association')}</span>
            <select name="association" defaultValue={loaded.association.id} className="input">
              {loaded.associations.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="btn-secondary">
            {t('form.confirm')}
          </button>
        </Form>
      ) : null}
      <p className="mb-4 text-sm text-slate-600">
        {loaded.association.name} ·{' '}
        {loaded.stored
          ? t('grading.rules.currentVersion', { n: loaded.stored.versionNo, date: t.dateTime(loaded.stored.createdAt) })
          : t('grading.rules.defaultVersion')}
      </p>
      <Form method="post" {...getFormProps(form)} className="grid gap-4" data-testid="rules-form">
        <FormErrors errors={form.errors} />
        <input {...getInputProps(fields.associationOrgId, { type: 'hidden' })} />
        <input {...getInputProps(fields.baseVersion, { type: 'hidden' })} />
        <section className="card grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          <h2 className="text-lg sm:col-span-2 lg:col-span-3">{t('grading.rules.general')}</h2>
          <label className="text-sm">
            <span className="label">{t('grading.rules.ladderName')}</span>
            <input {...getInputProps(fields.ladderName, { type: 'text' })} className="input" />
          </label>
          {GENERAL_KEYS.map((k) => (
            <NumberInput key={k} meta={fields[k]} label={t(`grading.rules.${k}` as MessageKey)} />
          ))}
        </section>
        <section className="card grid gap-4">
          <h2 className="text-lg">{t('grading.rules.grades')}</h2>
          {grades.map((g, i) => {
            const f = g.getFieldset()
            const spare = i === grades.length - 1
            return (
              <fieldset key={g.key} className="grid gap-2 border-t pt-3 sm:grid-cols-2 lg:grid-cols-4">
                {spare ? <legend className="text-sm text-slate-600">{t('grading.rules.addGrade')}</legend> : null}
                <label className="text-sm">
                  <span className="label">{t('grading.rules.gradeCode')}</span>
                  <input {...getInputProps(f.code, { type: 'text' })} className="input" />
                  {f.code.errors?.map((e) => (
                    <span key={e} className="field-error block">
                      {t.ref(e)}
                    </span>
                  ))}
                </label>
                <label className="text-sm">
                  <span className="label">{t('grading.rules.gradeName')}</span>
                  <input {...getInputProps(f.name, { type: 'text' })} className="input" />
                </label>
                <NumberInput meta={f.rank} label={t('grading.rules.gradeRank')} />
                <label className="text-sm">
                  <span className="label">{t('grading.rules.gradeAction')}</span>
                  <select {...getSelectProps(f.action)} className="input">
                    <option value="rate">{t('grading.rules.action.rate')}</option>
                    <option value="recommend">{t('grading.rules.action.recommend')}</option>
                  </select>
                </label>
                <div className="grid gap-1 sm:col-span-2 lg:col-span-4">
                  <span className="label">{t('grading.rules.basic')}</span>
                  <Check meta={f.noCriminalConversion} label={t('grading.rule.basic.noCriminalConversion')} />
                  <Check meta={f.noMisconduct} label={t('grading.rule.basic.noMisconduct')} />
                  <Check meta={f.requiredTraining} label={t('grading.rule.basic.requiredTraining')} />
                </div>
                <p className="text-sm text-slate-600 sm:col-span-2 lg:col-span-4">{t('grading.rules.thresholds')}</p>
                {THRESHOLD_KEYS.map((k) => (
                  <NumberInput
                    key={k}
                    meta={f[k]}
                    label={
                      k === 'trainingYears'
                        ? t('grading.rules.statsYears')
                        : t(`grading.rule.${k}` as MessageKey, { years: 'N', grade: '—' })
                    }
                  />
                ))}
                {!spare ? <Check meta={f.remove} label={t('grading.rules.removeGrade')} /> : null}
              </fieldset>
            )
          })}
        </section>
        <section className="card grid gap-4">
          <h2 className="text-lg">{t('grading.rules.rubric')}</h2>
          {rubric.map((c, i) => {
            const f = c.getFieldset()
            const spare = i === rubric.length - 1
            return (
              <fieldset key={c.key} className="grid gap-2 border-t pt-3 sm:grid-cols-2 lg:grid-cols-4">
                {spare ? <legend className="text-sm text-slate-600">{t('grading.rules.addCriterion')}</legend> : null}
                <label className="text-sm">
                  <span className="label">{t('grading.rules.criterionKey')}</span>
                  <input {...getInputProps(f.key, { type: 'text' })} className="input" />
                  {f.key.errors?.map((e) => (
                    <span key={e} className="field-error block">
                      {t.ref(e)}
                    </span>
                  ))}
                </label>
                <label className="text-sm">
                  <span className="label">{t('grading.rules.criterionLabel')}</span>
                  <input {...getInputProps(f.label, { type: 'text' })} className="input" />
                </label>
                <NumberInput meta={f.weight} label={t('grading.rules.weight')} />
                <NumberInput meta={f.maxPoints} label={t('grading.rules.maxPoints')} />
                <label className="text-sm sm:col-span-2 lg:col-span-4">
                  <span className="label">{t('grading.rules.levels')}</span>
                  <textarea {...getTextareaProps(f.levels)} rows={4} className="input font-mono" />
                  {f.levels.errors?.map((e) => (
                    <span key={e} className="field-error block">
                      {t.ref(e)}
                    </span>
                  ))}
                </label>
                {!spare ? <Check meta={f.remove} label={t('grading.rules.removeCriterion')} /> : null}
              </fieldset>
            )
          })}
          {fields.rubric.errors?.map((e) => (
            <p key={e} className="field-error">
              {t.ref(e)}
            </p>
          ))}
          <p className="text-sm text-slate-600">{t('grading.rules.samplesKept', { n: loaded.samples ?? 0 })}</p>
        </section>
        <section className="card grid gap-2">
          <label className="text-sm">
            <span className="label">{t('grading.rules.note')}</span>
            <input {...getInputProps(fields.note, { type: 'text' })} className="input" />
          </label>
          <button type="submit" className="btn-primary w-fit">
            {t('form.save')}
          </button>
        </section>
      </Form>
      <section className="card mt-4">
        <h2 className="mb-2 text-lg">{t('grading.rules.history')}</h2>
        <ul className="text-sm" data-testid="rules-history">
          {loaded.history.map((h) => (
            <li key={h.id} className="border-b py-1 last:border-0">
              {t('grading.rules.version', { n: h.versionNo })} · {t.dateTime(h.createdAt)} · {h.createdBy}
              {h.note ? ` · ${h.note}` : ''} · {t('grading.rules.usedBy', { n: h.rounds })}
            </li>
          ))}
        </ul>
      </section>
    </>
  )
}
