import { createContext, useContext } from 'react'

/** The per-request CSP nonce, set by entry.server.tsx; undefined in the browser after hydration. */
export const NonceContext = createContext<string | undefined>(undefined)

export function useNonce(): string | undefined {
  return useContext(NonceContext)
}
