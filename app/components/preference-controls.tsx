import { Form, useLocation } from '@remix-run/react'
import { useT } from './i18n.tsx'

/** Language and text-size switches: plain forms, so they work without JavaScript. */
export function PreferenceControls() {
  const t = useT()
  const location = useLocation()
  const back = location.pathname + location.search
  return (
    <div className="flex flex-wrap items-center gap-2">
      {/* A full load: the browser holds only the current language's catalog (lib/catalogs.client.ts). */}
      <Form method="post" action="/preferences" reloadDocument className="flex items-center gap-1" aria-label={t('shell.language')}>
        <input type="hidden" name="redirectTo" value={back} />
        <button
          type="submit"
          name="locale"
          value="zh-CN"
          lang="zh-CN"
          aria-pressed={t.locale === 'zh-CN'}
          className={`btn-link text-sm ${t.locale === 'zh-CN' ? 'font-bold' : ''}`}
        >
          中文
        </button>
        <span aria-hidden="true">|</span>
        <button
          type="submit"
          name="locale"
          value="en"
          lang="en"
          aria-pressed={t.locale === 'en'}
          className={`btn-link text-sm ${t.locale === 'en' ? 'font-bold' : ''}`}
        >
          English
        </button>
      </Form>
      <Form method="post" action="/preferences" className="flex items-center gap-1">
        <input type="hidden" name="redirectTo" value={back} />
        <span className="text-sm text-slate-600">{t('shell.fontSize')}</span>
        {(['normal', 'large', 'xlarge'] as const).map((size) => (
          <button key={size} type="submit" name="fontSize" value={size} className="btn-link text-sm">
            {t(`shell.fontSize.${size}`)}
          </button>
        ))}
      </Form>
    </div>
  )
}
