import { vitePlugin as remix } from '@remix-run/dev'
import { defineConfig } from 'vite'
import remixConfig from './remix.config.js'

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true
  }
}

export default defineConfig({
  server: { host: '127.0.0.1', port: 3000 },
  build: { target: 'es2022' },
  plugins: [remix(remixConfig)],
})
