import { RemixBrowser } from '@remix-run/react'
import { StrictMode } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { loadCatalog } from './lib/catalogs.ts'
import { DEFAULT_LOCALE, isLocale } from './lib/i18n.ts'

// The page's own language only (the server rendered it into <html lang>); hydration needs it.
const lang = document.documentElement.lang
await loadCatalog(isLocale(lang) ? lang : DEFAULT_LOCALE)

// Hydrated in one go rather than in a transition: the catalog fetch lets a visitor start typing
// or clicking before hydration begins, and input arriving in the middle of an interruptible
// hydration made React 18 abort the root ("Root did not complete", error 345) in the e2e tests.
hydrateRoot(
  document,
  <StrictMode>
    <RemixBrowser />
  </StrictMode>,
)
