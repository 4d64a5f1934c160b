import { RemixBrowser } from '@remix-run/react'
import { StrictMode } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { loadCatalog, loadMessagesFor } from './lib/catalogs.ts'
import { DEFAULT_LOCALE, isLocale } from './lib/i18n.ts'
import { serverStateDecoded } from './lib/server-state.client.ts'

if (import.meta.env.DEV) {
  // The dev server registers no per-module messages (vite-plugins/client-messages.ts is for
  // builds): the page's whole catalog, in its own language only (the server rendered it into
  // <html lang>), before hydrating.
  const lang = document.documentElement.lang
  await loadCatalog(isLocale(lang) ? lang : DEFAULT_LOCALE)
} else {
  // The modules brought their own messages; the loader and action data the server inlined may
  // name others (sidebar labels, a flash message), which must be here before the first render.
  const inline = [...document.querySelectorAll('script:not([src])')].map((script) => script.textContent ?? '')
  await loadMessagesFor(inline.join('\n'))
}

await serverStateDecoded()

// Hydrated in one go rather than in a transition: nothing is gained by yielding, the page is
// already on screen.
hydrateRoot(
  document,
  <StrictMode>
    <RemixBrowser />
  </StrictMode>,
)
