/**
 * Similar cases that follow the draft as it is written: the form's fields are posted to the
 * resource route (/library/submissions/similar) through a fetcher, at most once per pause in
 * typing (debounced) and never twice for the same text. Without JavaScript the list shows what
 * the page rendered (after the form's "查找相似案例" button).
 */
import { useFetcher } from '@remix-run/react'
import { useEffect, useRef } from 'react'
import { useT } from '#app/components/i18n.tsx'
import type { action as similarAction } from '#app/routes/_app.library.submissions.similar.tsx'
import { type SimilarItem, SimilarList } from './similar-list.tsx'

export const SIMILAR_ROUTE = '/library/submissions/similar'
/** Quiet time after the last keystroke before asking. */
const DEBOUNCE_MS = 800

export function LiveSimilar({ formId, submissionId, initial }: { formId: string; submissionId?: string; initial: SimilarItem[] }) {
  const t = useT()
  const fetcher = useFetcher<typeof similarAction>({ key: `library-similar-${submissionId ?? 'new'}` })
  const submit = useRef(fetcher.submit)
  submit.current = fetcher.submit
  useEffect(() => {
    const form = document.getElementById(formId)
    if (!(form instanceof HTMLFormElement)) return
    let timer: ReturnType<typeof setTimeout> | undefined
    let lastSent = ''
    const send = () => {
      const body = new FormData(form)
      body.delete('intent')
      body.delete('version')
      body.delete('submissionKey')
      if (submissionId) body.set('submissionId', submissionId)
      const fingerprint = JSON.stringify([...body.entries()])
      if (fingerprint === lastSent) return
      lastSent = fingerprint
      submit.current(body, { method: 'post', action: SIMILAR_ROUTE })
    }
    const schedule = () => {
      clearTimeout(timer)
      timer = setTimeout(send, DEBOUNCE_MS)
    }
    form.addEventListener('input', schedule)
    form.addEventListener('change', schedule)
    return () => {
      clearTimeout(timer)
      form.removeEventListener('input', schedule)
      form.removeEventListener('change', schedule)
    }
  }, [formId, submissionId])
  const items = fetcher.data?.items ?? initial
  return (
    <div aria-live="polite" data-testid="live-similar" data-state={fetcher.state}>
      {items.length ? (
        <SimilarList items={items} title={t('library.similar.whileWriting')} />
      ) : fetcher.data ? (
        <p className="card text-sm text-slate-600">{t('library.similar.noneYet')}</p>
      ) : null}
    </div>
  )
}

/**
 * For the pages holding the form: the fetcher's posts change nothing, so they need not reload
 * the page's own data.
 */
export function skipSimilarRevalidation({
  formAction,
  defaultShouldRevalidate,
}: { formAction?: string; defaultShouldRevalidate: boolean }) {
  return formAction === SIMILAR_ROUTE ? false : defaultShouldRevalidate
}
