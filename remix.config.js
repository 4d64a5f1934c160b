// The one place to read Tiaojie's Remix options. vite.config.ts imports this file and passes it
// to the Remix Vite plugin (the plugin does not read remix.config.js on its own).
/** @type {import('@remix-run/dev').VitePluginConfig} */
export default {
  appDirectory: 'app',
  buildDirectory: 'build',
  serverModuleFormat: 'esm',
  // Flat routes (the v2 convention); test files and helpers beside routes are not routes.
  ignoredRouteFiles: ['**/*.test.ts', '**/*.test.tsx', '**/.*'],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
    // Pre-bundles client dependencies so the dev server does not reload on the first visit.
    unstable_optimizeDeps: true,
  },
}
