/** The structured case form (metadata plus the four sections, Markdown allowed). Works without JavaScript. */
import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { Form } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { SelectField, TextareaField, TextField } from '#app/components/ui/form.tsx'
import { similarDraftSchema, submissionSchema } from '../schemas.ts'
import { AMOUNT_RANGES, DISPUTE_TYPE_CODES, OUTCOMES, SECTIONS, SOURCES, TECHNIQUES } from '../vocabulary.ts'

export interface SubmissionDefaults {
  title?: string
  disputeType?: string
  domains?: string[]
  regionCode?: string
  year?: number
  source?: string
  outcome?: string
  amountRange?: string
  techniques?: string[]
  legalBasis?: string[]
  tags?: string[]
  summary?: string
  facts?: string
  process?: string
  result?: string
  commentary?: string
}

const options = (values: readonly string[]) => values.map((v) => ({ value: v, label: v }))

function Checkboxes({
  name,
  legend,
  values,
  checked,
  errors,
}: { name: string; legend: string; values: readonly string[]; checked: string[]; errors?: string[] }) {
  const t = useT()
  return (
    <fieldset>
      <legend className="label">{legend}</legend>
      <div className="flex flex-wrap gap-x-4 gap-y-1">
        {values.map((v) => (
          <label key={v} className="flex items-center gap-1 text-sm">
            <input type="checkbox" name={name} value={v} defaultChecked={checked.includes(v)} />
            {v}
          </label>
        ))}
      </div>
      {errors?.length ? <p className="field-error">{errors.map((e) => t.ref(e)).join(' ')}</p> : null}
    </fieldset>
  )
}

export function SubmissionForm({
  lastResult,
  defaults,
  version,
  submitted,
  submissionKey,
}: {
  lastResult: SubmissionResult<string[]> | undefined | null
  defaults: SubmissionDefaults
  /** The version loaded (edits); absent when creating. */
  version?: number
  /** Under review already: saving keeps it under review (the reviewer is told it changed). */
  submitted?: boolean
  /** New cases only: makes a double submit create one case. */
  submissionKey?: string
}) {
  const t = useT()
  const [form, f] = useForm({
    id: 'library-submission',
    lastResult,
    constraint: getZodConstraint(submissionSchema),
    // "查找相似案例" posts the draft as it is (nothing required): checked like the server does.
    onValidate: ({ formData }) =>
      parseWithZod(formData, { schema: formData.get('intent') === 'similar' ? similarDraftSchema : submissionSchema }),
    shouldRevalidate: 'onBlur',
    defaultValue: {
      ...defaults,
      year: defaults.year ? String(defaults.year) : undefined,
      legalBasis: defaults.legalBasis?.join('、'),
      tags: defaults.tags?.join('、'),
      // conform types multi-value fields as strings; it accepts arrays for checkbox groups.
    } as never,
  })
  const checked = (value: unknown, fallback: string[] = []): string[] =>
    value === undefined ? fallback : Array.isArray(value) ? value.map(String) : value ? [String(value)] : []
  return (
    <Form method="post" {...getFormProps(form)} className="space-y-4">
      {form.errors?.length ? (
        <div role="alert" className="card border-red-300 bg-red-50 text-red-800">
          {form.errors.map((e) => (
            <p key={e}>{t.ref(e)}</p>
          ))}
        </div>
      ) : null}
      {version !== undefined ? <input type="hidden" name="version" value={version} /> : null}
      {submissionKey ? <input type="hidden" name="submissionKey" value={submissionKey} /> : null}
      <section className="card grid grid-cols-1 gap-4 sm:grid-cols-2">
        <TextField meta={f.title} label={t('library.field.title')} required className="sm:col-span-2" />
        <TextField
          meta={f.summary}
          label={t('library.field.summary')}
          hint={t('library.form.summaryHint')}
          required
          className="sm:col-span-2"
        />
        <SelectField
          meta={f.disputeType}
          label={t('library.field.disputeType')}
          options={options(DISPUTE_TYPE_CODES)}
          placeholder=""
          required
        />
        <TextField
          meta={f.regionCode}
          label={t('library.field.regionCode')}
          hint={t('library.form.regionHint')}
          inputMode="numeric"
          required
        />
        <TextField meta={f.year} label={t('library.field.year')} type="number" inputMode="numeric" required />
        <SelectField meta={f.source} label={t('library.field.source')} options={options(SOURCES)} placeholder="" required />
        <SelectField meta={f.outcome} label={t('library.field.outcome')} options={options(OUTCOMES)} placeholder="" required />
        <SelectField meta={f.amountRange} label={t('library.field.amountRange')} options={options(AMOUNT_RANGES)} placeholder="" required />
        <div className="sm:col-span-2">
          <Checkboxes
            name="domains"
            legend={t('library.field.domain')}
            values={DISPUTE_TYPE_CODES}
            checked={checked(f.domains.initialValue, defaults.domains)}
            errors={f.domains.errors}
          />
        </div>
        <div className="sm:col-span-2">
          <Checkboxes
            name="techniques"
            legend={t('library.field.technique')}
            values={TECHNIQUES}
            checked={checked(f.techniques.initialValue, defaults.techniques)}
            errors={f.techniques.errors}
          />
        </div>
        <TextField meta={f.legalBasis} label={t('library.field.legalBasis')} hint={t('library.form.listHint')} />
        <TextField meta={f.tags} label={t('library.field.tags')} hint={t('library.form.listHint')} />
      </section>
      <section className="card space-y-4">
        <p className="text-sm text-slate-600">{t('library.form.markdownHint')}</p>
        {SECTIONS.map((s) => (
          <TextareaField key={s.key} meta={f[s.key]} label={s.heading} rows={8} required />
        ))}
      </section>
      <div className="flex flex-wrap gap-2">
        <button type="submit" name="intent" value="save" className="btn-secondary">
          {submitted ? t('library.form.saveUnderReview') : t('library.form.saveDraft')}
        </button>
        {submitted ? null : (
          <button type="submit" name="intent" value="submit" className="btn-primary">
            {t('library.form.submit')}
          </button>
        )}
        {/* Shows similar cases for the text as typed, without saving (and without JavaScript). */}
        <button type="submit" name="intent" value="similar" formNoValidate className="btn-secondary" data-testid="find-similar">
          {t('library.form.findSimilar')}
        </button>
      </div>
    </Form>
  )
}
