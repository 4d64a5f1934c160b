import path from 'node:path'
import { vitePlugin as remix } from '@remix-run/dev'
import { type Plugin, defineConfig } from 'vite'
import remixConfig from './remix.config.js'

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true
  }
}

const SERVER_CATALOGS = path.resolve('app/lib/catalogs.ts')
const CLIENT_CATALOGS = path.resolve('app/lib/catalogs.client.ts')

/**
 * The browser gets app/lib/catalogs.client.ts instead of app/lib/catalogs.ts: the page's language
 * is fetched on its own instead of both catalogs riding in the shared bundle (issue 10).
 */
function clientCatalogs(): Plugin {
  return {
    name: 'tiaojie:client-catalogs',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (options?.ssr || !source.includes('catalogs')) return null
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true })
      return resolved?.id === SERVER_CATALOGS ? CLIENT_CATALOGS : null
    },
  }
}

export default defineConfig({
  server: { host: '127.0.0.1', port: 3000 },
  build: { target: 'es2022' },
  plugins: [clientCatalogs(), remix(remixConfig)],
})
