/**
 * The one set of form fields: label, control, hint and errors wired together for assistive
 * technology (aria-invalid, aria-describedby), built on conform's field metadata so the server's
 * errors and the user's input come back after a failed submit.
 */
import { getInputProps, getSelectProps, getTextareaProps, type FieldMetadata } from '@conform-to/react'
import type { ReactNode } from 'react'
import { useT } from '../i18n.tsx'

function FieldErrors({ id, errors }: { id: string; errors?: string[] }) {
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

interface FieldProps {
  label: string
  hint?: string
  required?: boolean
  className?: string
}

function Label({ htmlFor, label, required }: { htmlFor: string; label: string; required?: boolean }) {
  const t = useT()
  return (
    <label htmlFor={htmlFor} className="label">
      {label}
      {required ? (
        <span className="ml-1 text-red-700">
          *<span className="sr-only">{t('form.required')}</span>
        </span>
      ) : null}
    </label>
  )
}

function describedBy(meta: FieldMetadata<unknown>, hint?: string): string | undefined {
  const ids = [hint ? `${meta.id}-hint` : null, meta.errors?.length ? meta.errorId : null].filter(Boolean)
  return ids.length ? ids.join(' ') : undefined
}

export function TextField({
  meta,
  type = 'text',
  autoComplete,
  inputMode,
  ...props
}: FieldProps & {
  meta: FieldMetadata<unknown>
  type?: 'text' | 'password' | 'date' | 'number' | 'tel' | 'email' | 'search'
  autoComplete?: string
  inputMode?: 'numeric' | 'tel' | 'text'
}) {
  return (
    <div className={props.className}>
      <Label htmlFor={meta.id} label={props.label} required={props.required} />
      <input
        {...getInputProps(meta as FieldMetadata<string>, { type, ariaAttributes: true })}
        className="input"
        autoComplete={autoComplete}
        inputMode={inputMode}
        aria-describedby={describedBy(meta, props.hint)}
      />
      {props.hint ? (
        <p id={`${meta.id}-hint`} className="field-hint">
          {props.hint}
        </p>
      ) : null}
      <FieldErrors id={meta.errorId} errors={meta.errors} />
    </div>
  )
}

export function TextareaField({ meta, rows = 4, ...props }: FieldProps & { meta: FieldMetadata<unknown>; rows?: number }) {
  return (
    <div className={props.className}>
      <Label htmlFor={meta.id} label={props.label} required={props.required} />
      <textarea
        {...getTextareaProps(meta as FieldMetadata<string>, { ariaAttributes: true })}
        rows={rows}
        className="input"
        aria-describedby={describedBy(meta, props.hint)}
      />
      {props.hint ? (
        <p id={`${meta.id}-hint`} className="field-hint">
          {props.hint}
        </p>
      ) : null}
      <FieldErrors id={meta.errorId} errors={meta.errors} />
    </div>
  )
}

export function SelectField({
  meta,
  options,
  placeholder,
  ...props
}: FieldProps & { meta: FieldMetadata<unknown>; options: { value: string; label: string }[]; placeholder?: string }) {
  return (
    <div className={props.className}>
      <Label htmlFor={meta.id} label={props.label} required={props.required} />
      <select
        {...getSelectProps(meta as FieldMetadata<string>, { ariaAttributes: true })}
        className="input"
        aria-describedby={describedBy(meta, props.hint)}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {props.hint ? (
        <p id={`${meta.id}-hint`} className="field-hint">
          {props.hint}
        </p>
      ) : null}
      <FieldErrors id={meta.errorId} errors={meta.errors} />
    </div>
  )
}

/** Form-level errors (e.g. wrong password, stale version), announced when they appear. */
export function FormErrors({ errors, children }: { errors?: string[]; children?: ReactNode }) {
  const t = useT()
  if (!errors?.length && !children) return null
  return (
    <div role="alert" className="mb-4 rounded-md border-l-4 border-red-700 bg-red-50 px-4 py-3 text-red-900">
      {errors?.map((e) => (
        <p key={e}>{t.ref(e)}</p>
      ))}
      {children}
    </div>
  )
}
