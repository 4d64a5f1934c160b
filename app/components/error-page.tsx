import type { MessageKey } from '#app/lib/i18n.ts'
import { useT } from './i18n.tsx'

const KNOWN = [400, 403, 404, 413, 500, 503] as const

/** The 4xx/5xx pages, in the reader's language; never shows internals. */
export function ErrorPage({ status }: { status: number }) {
  const t = useT()
  const code = (KNOWN as readonly number[]).includes(status) ? status : status >= 500 ? 500 : 400
  return (
    <main id="main" className="mx-auto max-w-xl px-4 py-16">
      <p className="text-sm font-medium text-slate-500">{status}</p>
      <h1 className="mt-2 text-2xl">{t(`error.${code}.title` as MessageKey)}</h1>
      <p className="mt-4 text-slate-700">{t(`error.${code}.body` as MessageKey)}</p>
      <p className="mt-8">
        <a href="/" className="btn-secondary">
          {t('error.backHome')}
        </a>
      </p>
    </main>
  )
}
