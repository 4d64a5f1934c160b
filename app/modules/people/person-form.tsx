/**
 * The mediator form, shared by the create and edit pages. Works without JavaScript. On edit the
 * ID and phone fields start empty (the full numbers never reach the browser); blank keeps them.
 */
import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { Form, Link, useNavigation } from '@remix-run/react'
import type { z } from 'zod'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors, SelectField, TextField } from '#app/components/ui/form.tsx'
import { EMPLOYMENTS, GENDERS, MEDIATOR_STATUSES, employmentLabel, genderLabel, mediatorStatusLabel } from './labels.ts'
import { personCreateSchema, personEditSchema } from './schemas.ts'

export type PersonFormValues = Partial<Record<keyof z.input<typeof personEditSchema>, string>>

export interface PersonFormResult extends SubmissionResult<string[]> {
  /** The person already registered with the submitted ID number, when the user may see them. */
  duplicateOf?: { id: string; name: string }
}

export interface PersonFormProps {
  mode: 'create' | 'edit'
  lastResult: PersonFormResult | null | undefined
  orgs: { id: string; name: string }[]
  defaultValue?: PersonFormValues
  /** Edit only: the stored numbers, masked, for the "leave blank to keep" hints. */
  masked?: { idNumber: string | null; phone: string | null }
  version?: number
  cancelTo: string
}

export function PersonForm({ mode, lastResult, orgs, defaultValue, masked, version, cancelTo }: PersonFormProps) {
  const t = useT()
  const navigation = useNavigation()
  // Typed as the edit schema (a superset of the create fields) so both modes share one field set.
  const schema = (mode === 'create' ? personCreateSchema : personEditSchema) as typeof personEditSchema
  const [form, fields] = useForm({
    id: `person-${mode}`,
    lastResult,
    defaultValue,
    constraint: getZodConstraint(schema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  const keepHint = (value: string | null | undefined) =>
    value ? t('people.hint.keepNumber', { masked: value }) : t('people.hint.keepEmpty')
  const duplicateOf = lastResult?.duplicateOf
  return (
    <Form method="post" {...getFormProps(form)} className="card space-y-4" autoComplete="off">
      <FormErrors errors={form.errors} />
      {version !== undefined ? <input type="hidden" name="version" value={version} /> : null}
      <TextField meta={fields.name} label={t('people.field.name')} required />
      <div>
        <TextField
          meta={fields.idNumber}
          label={t('people.field.idNumber')}
          required={mode === 'create'}
          hint={mode === 'create' ? t('people.hint.idNumber') : keepHint(masked?.idNumber)}
        />
        {duplicateOf ? (
          <p className="field-error" data-testid="duplicate-person">
            <Link to={`/people/${duplicateOf.id}`}>{duplicateOf.name}</Link>
          </p>
        ) : null}
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField
          meta={fields.gender}
          label={t('people.field.gender')}
          hint={t('people.hint.derived')}
          placeholder={t('orgs.form.none')}
          options={GENDERS.map((g) => ({ value: g, label: t(genderLabel(g)) }))}
        />
        <TextField meta={fields.birthDate} label={t('people.field.birthDate')} type="date" hint={t('people.hint.derived')} />
      </div>
      <TextField
        meta={fields.phone}
        label={t('people.field.phone')}
        type="tel"
        inputMode="tel"
        hint={mode === 'edit' ? keepHint(masked?.phone) : undefined}
      />
      <SelectField
        meta={fields.orgId}
        label={t('people.field.org')}
        required
        placeholder={t('orgs.form.choose')}
        options={orgs.map((o) => ({ value: o.id, label: o.name }))}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField
          meta={fields.employment}
          label={t('people.field.employment')}
          required
          placeholder={t('orgs.form.choose')}
          options={EMPLOYMENTS.map((e) => ({ value: e, label: t(employmentLabel(e)) }))}
        />
        <TextField meta={fields.cardNumber} label={t('people.field.cardNumber')} hint={t('people.hint.cardNumber')} />
      </div>
      <TextField meta={fields.startedOn} label={t('people.field.startedOn')} type="date" />
      {mode === 'edit' ? (
        <SelectField
          meta={fields.status}
          label={t('people.field.status')}
          required
          options={MEDIATOR_STATUSES.map((s) => ({ value: s, label: t(mediatorStatusLabel(s)) }))}
        />
      ) : null}
      <div className="flex flex-wrap gap-3">
        <button type="submit" className="btn-primary" disabled={navigation.state === 'submitting'}>
          {t('form.save')}
        </button>
        <Link to={cancelTo} className="btn-secondary">
          {t('form.cancel')}
        </Link>
      </div>
    </Form>
  )
}
