import { RemixBrowser } from '@remix-run/react'
import { StrictMode, startTransition } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { loadCatalog } from './lib/catalogs.ts'
import { DEFAULT_LOCALE, isLocale } from './lib/i18n.ts'

// The page's own language only (the server rendered it into <html lang>); hydration needs it.
const lang = document.documentElement.lang
await loadCatalog(isLocale(lang) ? lang : DEFAULT_LOCALE)

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <RemixBrowser />
    </StrictMode>,
  )
})
