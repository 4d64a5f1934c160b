declare module '@remix-run/node' {
  interface AppLoadContext {
    /** Per-request CSP nonce from server/security.js. */
    cspNonce?: string
  }
}

export {}
