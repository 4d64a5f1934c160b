/**
 * argon2id through @node-rs/argon2, which hashes on libuv's thread pool, off the event loop.
 * Parameters meet OWASP's minimum (m = 19 MiB, t = 2, p = 1); hashes made with weaker
 * parameters are upgraded at the next successful sign-in.
 */
import { hash, verify } from '@node-rs/argon2'

export const ARGON2_POLICY = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const
// Algorithm.Argon2id; the package declares it as a const enum, which isolated modules cannot read.
const ARGON2ID = 2

export function hashPassword(password: string): Promise<string> {
  return hash(password, { ...ARGON2_POLICY, algorithm: ARGON2ID })
}

export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  try {
    return await verify(phc, password)
  } catch {
    return false
  }
}

/** True when a stored hash is not argon2id or uses weaker parameters than the policy. */
export function needsRehash(phc: string): boolean {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(phc)
  if (!match) return true
  const [m, t, p] = match.slice(1).map(Number) as [number, number, number]
  return m < ARGON2_POLICY.memoryCost || t < ARGON2_POLICY.timeCost || p < ARGON2_POLICY.parallelism
}

let dummy: Promise<string> | undefined
/**
 * Verifying against a dummy hash when the account is unknown makes the answer take as long as
 * for a wrong password, so timing does not reveal which usernames exist.
 */
export async function verifyAgainstDummy(password: string): Promise<void> {
  dummy ??= hashPassword('tiaojie-dummy-password-for-timing')
  await verifyPassword(await dummy, password)
}
