/**
 * Sections staff and the expert share: unavailable periods, conflicts of interest and the
 * contact preference. Each form posts an `intent` to the page it sits on; the page's action
 * (panel-actions.server.ts) handles it. Laid out for a 360 px phone first.
 */
import { type SubmissionResult, getFormProps, useForm } from '@conform-to/react'
import { getZodConstraint, parseWithZod } from '@conform-to/zod'
import { Form, useNavigation } from '@remix-run/react'
import { useT } from '#app/components/i18n.tsx'
import { FormErrors, SelectField, TextField } from '#app/components/ui/form.tsx'
import type { ExpertContactPreference } from '#db/schema.ts'
import { contactLabel } from '../labels.ts'
import { CONTACT_PREFERENCES } from '../model.ts'
import { postedVersion } from './expert-form.tsx'
import { conflictInForce, covers } from '../rules.ts'
import { addConflictSchema, addUnavailabilitySchema, contactPreferenceSchema } from '../schemas.ts'

export interface PanelResult {
  intent?: string
  result?: SubmissionResult<string[]>
}

function resultFor(actionData: PanelResult | undefined, intent: string) {
  return actionData?.intent === intent ? actionData.result : undefined
}

function IntentButton({
  intent,
  fields,
  label,
  testId,
}: { intent: string; fields: Record<string, string>; label: string; testId?: string }) {
  const navigation = useNavigation()
  return (
    <Form method="post" className="inline">
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" className="btn-secondary px-3 py-1 text-sm" disabled={navigation.state === 'submitting'} data-testid={testId}>
        {label}
      </button>
    </Form>
  )
}

function SubmitButton({ label }: { label: string }) {
  const navigation = useNavigation()
  return (
    <button type="submit" className="btn-primary w-full sm:w-auto" disabled={navigation.state === 'submitting'}>
      {label}
    </button>
  )
}

// ---------------------------------------------------------------------------------------------

export interface PeriodView {
  id: string
  start_date: string
  end_date: string
  reason: string | null
  entered_by: 'staff' | 'expert'
}

export function UnavailabilitySection({
  periods,
  today,
  canAdd,
  mayRemove,
  actionData,
}: {
  periods: PeriodView[]
  today: string
  canAdd: boolean
  mayRemove: (period: PeriodView) => boolean
  actionData: PanelResult | undefined
}) {
  const t = useT()
  const removeErrors = resultFor(actionData, 'unavailability.remove')?.error?.['']
  const [form, fields] = useForm({
    id: 'unavailability-add',
    lastResult: resultFor(actionData, 'unavailability.add'),
    constraint: getZodConstraint(addUnavailabilitySchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: addUnavailabilitySchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  return (
    <section className="card space-y-4" aria-labelledby="unavailability-heading" data-testid="unavailability">
      <h2 id="unavailability-heading" className="text-lg">
        {t('experts.section.unavailability')}
      </h2>
      <FormErrors errors={removeErrors ?? undefined} />
      {periods.length === 0 ? (
        <p className="text-slate-600">{t('experts.unavailability.none')}</p>
      ) : (
        <ul className="divide-y divide-slate-200">
          {periods.map((p) => (
            <li key={p.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
              <div>
                <p className="font-medium">
                  {t('experts.field.termRange', { start: t.date(p.start_date), end: t.date(p.end_date) })}
                  {covers(p, today) ? <span className="ml-2 text-sm text-amber-800">{t('experts.unavailability.now')}</span> : null}
                </p>
                <p className="text-sm text-slate-600">
                  {p.reason ? `${p.reason} · ` : ''}
                  {t(p.entered_by === 'expert' ? 'experts.unavailability.by.expert' : 'experts.unavailability.by.staff')}
                </p>
              </div>
              {mayRemove(p) ? (
                <IntentButton intent="unavailability.remove" fields={{ periodId: p.id }} label={t('experts.unavailability.remove')} />
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {canAdd ? (
        <Form method="post" {...getFormProps(form)} className="space-y-3 border-t border-slate-200 pt-4">
          <input type="hidden" name="intent" value="unavailability.add" />
          <FormErrors errors={form.errors} />
          <div className="grid gap-3 sm:grid-cols-2">
            <TextField meta={fields.startDate} label={t('experts.unavailability.start')} type="date" required />
            <TextField meta={fields.endDate} label={t('experts.unavailability.end')} type="date" required />
          </div>
          <TextField meta={fields.reason} label={t('experts.unavailability.reason')} />
          <SubmitButton label={t('experts.unavailability.add')} />
        </Form>
      ) : null}
    </section>
  )
}

// ---------------------------------------------------------------------------------------------

export interface ConflictView {
  id: string
  kind: 'organisation' | 'person'
  name: string
  id_number_masked: string | null
  note: string | null
  start_date: string | null
  end_date: string | null
  declared_by: 'staff' | 'expert'
}

export function ConflictsSection({
  conflicts,
  employer,
  today,
  canAdd,
  mayEnd,
  actionData,
}: {
  conflicts: ConflictView[]
  employer: string
  today: string
  canAdd: boolean
  mayEnd: (conflict: ConflictView) => boolean
  actionData: PanelResult | undefined
}) {
  const t = useT()
  const endErrors = resultFor(actionData, 'conflict.end')?.error?.['']
  const [form, fields] = useForm({
    id: 'conflict-add',
    lastResult: resultFor(actionData, 'conflict.add'),
    defaultValue: { kind: 'organisation' },
    constraint: getZodConstraint(addConflictSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: addConflictSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  return (
    <section className="card space-y-4" aria-labelledby="conflicts-heading" data-testid="conflicts">
      <h2 id="conflicts-heading" className="text-lg">
        {t('experts.section.conflicts')}
      </h2>
      <FormErrors errors={endErrors ?? undefined} />
      <ul className="divide-y divide-slate-200">
        <li className="py-2">
          <p className="font-medium">{employer}</p>
          <p className="text-sm text-slate-600">{t('experts.conflict.employer')}</p>
        </li>
        {conflicts.map((c) => {
          const inForce = conflictInForce(c, today)
          return (
            <li key={c.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
              <div>
                <p className="font-medium">
                  {c.name}
                  {c.id_number_masked ? <span className="ml-2 font-mono text-sm">{c.id_number_masked}</span> : null}
                </p>
                <p className="text-sm text-slate-600">
                  {t(c.kind === 'person' ? 'experts.conflict.kind.person' : 'experts.conflict.kind.organisation')}
                  {' · '}
                  {t(inForce ? 'experts.conflict.inForce' : 'experts.conflict.over')}
                  {c.start_date || c.end_date ? ` · ${t.date(c.start_date)} – ${t.date(c.end_date)}` : ''}
                  {' · '}
                  {t(c.declared_by === 'expert' ? 'experts.conflict.by.expert' : 'experts.conflict.by.staff')}
                </p>
                {c.note ? <p className="text-sm">{c.note}</p> : null}
              </div>
              {mayEnd(c) && (!c.end_date || c.end_date >= today) ? (
                <IntentButton intent="conflict.end" fields={{ conflictId: c.id }} label={t('experts.conflict.end')} />
              ) : null}
            </li>
          )
        })}
      </ul>
      {conflicts.length === 0 ? <p className="text-slate-600">{t('experts.conflict.none')}</p> : null}
      {canAdd ? (
        <Form method="post" {...getFormProps(form)} className="space-y-3 border-t border-slate-200 pt-4" autoComplete="off">
          <input type="hidden" name="intent" value="conflict.add" />
          <FormErrors errors={form.errors} />
          <SelectField
            meta={fields.kind}
            label={t('experts.conflict.kind')}
            required
            options={[
              { value: 'organisation', label: t('experts.conflict.kind.organisation') },
              { value: 'person', label: t('experts.conflict.kind.person') },
            ]}
          />
          <TextField meta={fields.name} label={t('experts.conflict.name')} required />
          <TextField meta={fields.idNumber} label={t('experts.conflict.idNumber')} />
          <TextField meta={fields.note} label={t('experts.conflict.note')} />
          <div className="grid gap-3 sm:grid-cols-2">
            <TextField meta={fields.startDate} label={t('experts.conflict.startDate')} type="date" />
            <TextField meta={fields.endDate} label={t('experts.conflict.endDate')} type="date" />
          </div>
          <SubmitButton label={t('experts.conflict.add')} />
        </Form>
      ) : null}
    </section>
  )
}

// ---------------------------------------------------------------------------------------------

export function ContactPreferenceForm({
  preference,
  note,
  version,
  actionData,
}: {
  preference: ExpertContactPreference
  note: string | null
  version: number
  actionData: PanelResult | undefined
}) {
  const t = useT()
  const [form, fields] = useForm({
    id: 'contact',
    lastResult: resultFor(actionData, 'contact'),
    defaultValue: { contactPreference: preference, contactNote: note ?? '' },
    constraint: getZodConstraint(contactPreferenceSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: contactPreferenceSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  return (
    <section className="card" aria-labelledby="contact-heading">
      <h2 id="contact-heading" className="text-lg">
        {t('experts.section.contact')}
      </h2>
      <Form method="post" {...getFormProps(form)} className="mt-3 space-y-3">
        <input type="hidden" name="intent" value="contact" />
        <input type="hidden" name="version" value={postedVersion(resultFor(actionData, 'contact')) ?? version} />
        <FormErrors errors={form.errors} />
        <SelectField
          meta={fields.contactPreference}
          label={t('experts.field.contactPreference')}
          required
          options={CONTACT_PREFERENCES.map((c) => ({ value: c, label: t(contactLabel(c)) }))}
        />
        <TextField meta={fields.contactNote} label={t('experts.field.contactNote')} hint={t('experts.field.contactNoteHint')} />
        <SubmitButton label={t('experts.contact.save')} />
      </Form>
    </section>
  )
}
