/** What a write to the expert pool answers: done, or why not, in terms a form can show. */
export type Outcome<T = null> =
  | { ok: true; value: T }
  | {
      ok: false
      /** Message references per form field. */
      fieldErrors?: Record<string, string[]>
      formErrors?: string[]
      /** Someone else saved first (version mismatch): nothing was written. */
      stale?: boolean
      /** The expert already registered with this ID number, for a link. */
      duplicateOf?: string
      /** The age limit would be passed during the term: confirm to go ahead. */
      ageWarning?: { age: number; limit: number }
    }

export type Failure = Extract<Outcome, { ok: false }>

export const done = <T>(value: T): Outcome<T> => ({ ok: true, value })

export const fieldError = (field: string, message: string): Failure => ({ ok: false, fieldErrors: { [field]: [message] } })

export const formError = (message: string): Failure => ({ ok: false, formErrors: [message] })

export const STALE: Failure = { ok: false, stale: true, formErrors: ['form.staleVersion'] }
