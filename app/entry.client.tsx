import { RemixBrowser } from '@remix-run/react'
import { StrictMode } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { loadCatalog } from './lib/catalogs.ts'
import { DEFAULT_LOCALE, isLocale } from './lib/i18n.ts'
import { serverStateDecoded } from './lib/server-state.client.ts'

// The page's own language only (the server rendered it into <html lang>); hydration needs it.
const lang = document.documentElement.lang
await loadCatalog(isLocale(lang) ? lang : DEFAULT_LOCALE)

await serverStateDecoded()

// Hydrated in one go rather than in a transition: nothing is gained by yielding, the page is
// already on screen.
hydrateRoot(
  document,
  <StrictMode>
    <RemixBrowser />
  </StrictMode>,
)
