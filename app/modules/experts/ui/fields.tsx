/**
 * Form controls the shared set (components/ui/form.tsx) lacks: a group of checkboxes for a
 * multi-valued field and a single confirmation checkbox, wired like the others (legend, hint,
 * errors, aria-invalid) and working without JavaScript.
 */
import { type FieldMetadata, getCollectionProps } from '@conform-to/react'
import { useT } from '#app/components/i18n.tsx'

function Errors({ id, errors }: { id: string; errors?: string[] }) {
  const t = useT()
  if (!errors?.length) return null
  return (
    <div id={id} className="field-error">
      {errors.map((e) => (
        <p key={e}>{t.ref(e)}</p>
      ))}
    </div>
  )
}

export function CheckboxGroup({
  meta,
  label,
  options,
  hint,
  required,
}: {
  meta: FieldMetadata<unknown>
  label: string
  options: { value: string; label: string }[]
  hint?: string
  required?: boolean
}) {
  const t = useT()
  const boxes = getCollectionProps(meta as FieldMetadata<string[]>, { type: 'checkbox', options: options.map((o) => o.value) })
  const describedBy = [hint ? `${meta.id}-hint` : null, meta.errors?.length ? meta.errorId : null].filter(Boolean).join(' ') || undefined
  return (
    <fieldset aria-describedby={describedBy} aria-invalid={meta.errors?.length ? true : undefined}>
      <legend className="label">
        {label}
        {required ? (
          <span className="ml-1 text-red-700">
            *<span className="sr-only">{t('form.required')}</span>
          </span>
        ) : null}
      </legend>
      <div className="flex flex-wrap gap-x-4 gap-y-1">
        {boxes.map(({ key, ...props }, index) => (
          <label key={key} className="inline-flex min-h-[2.75rem] items-center gap-2">
            <input {...props} className="h-5 w-5 accent-accent-700" />
            <span>{options[index]!.label}</span>
          </label>
        ))}
      </div>
      {hint ? (
        <p id={`${meta.id}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
      <Errors id={meta.errorId} errors={meta.errors} />
    </fieldset>
  )
}

/** One checkbox that must be ticked on purpose (e.g. to confirm a warning). */
export function ConfirmCheckbox({ name, label, defaultChecked }: { name: string; label: string; defaultChecked?: boolean }) {
  return (
    <label className="flex min-h-[2.75rem] items-start gap-2 rounded-md border border-amber-300 bg-amber-50 p-3">
      <input type="checkbox" name={name} defaultChecked={defaultChecked} className="mt-1 h-5 w-5 accent-accent-700" />
      <span>{label}</span>
    </label>
  )
}
