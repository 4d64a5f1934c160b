import path from 'node:path'
import { vitePlugin as remix } from '@remix-run/dev'
import { type Plugin, defineConfig } from 'vite'
import { en } from './app/locales/en.ts'
import { zhCN } from './app/locales/zh-CN.ts'
import remixConfig from './remix.config.js'
import { clientMessages, messagePrefixes } from './vite-plugins/client-messages.ts'

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true
  }
}

const SERVER_CATALOGS = path.resolve('app/lib/catalogs.ts')
const CLIENT_CATALOGS = path.resolve('app/lib/catalogs.client.ts')
const LOCALES = path.resolve('app/locales')
const MESSAGE_PREFIXES = messagePrefixes(Object.keys(zhCN))

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
  // The browser's test for "is this dotted text a catalog key?" (app/lib/catalogs.client.ts, message-prefixes.ts).
  define: { __MESSAGE_NAMESPACES__: JSON.stringify(Object.keys(MESSAGE_PREFIXES)), __MESSAGE_PREFIXES__: JSON.stringify(MESSAGE_PREFIXES) },
  plugins: [
    clientCatalogs(),
    clientMessages({
      appDir: path.resolve('app'),
      skip: (file) => file.startsWith(LOCALES + path.sep) || file === SERVER_CATALOGS || file === CLIENT_CATALOGS,
      registry: CLIENT_CATALOGS,
      catalogs: { 'zh-CN': zhCN, en },
    }),
    remix(remixConfig),
  ],
})
