/**
 * Environment, validated once at start-up. Every variable is listed in .env.example and in the
 * README's configuration table. Outside production, missing secrets are generated once into
 * data/dev-secrets.json so `npm run demo` works offline with no set-up.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback)

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z
    .string()
    .regex(/^(mysql:\/\/|file:)/, 'DATABASE_URL must start with mysql:// or file:')
    .optional(),
  /** Base64 of 32 random bytes, or several as `2:base64,1:base64` (newest first) for key rotation. */
  TIAOJIE_DATA_KEY: z.string().min(1).optional(),
  SESSION_SECRET: z.string().min(32).optional(),
  /** The origin browsers send in the Origin header, e.g. https://tiaojie.example.gov.cn */
  APP_ORIGIN: z.string().url().optional(),
  HOST: z.string().default('127.0.0.1'),
  PORT: positiveInt(3000),
  SESSION_IDLE_MINUTES: positiveInt(30),
  SESSION_ABSOLUTE_HOURS: positiveInt(12),
  /** Set when behind a reverse proxy that sets X-Forwarded-For (number of hops to trust). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).default(0),
  MAX_BODY_BYTES: positiveInt(1_000_000),
  MAX_UPLOAD_BYTES: positiveInt(10_000_000),
  /** Uploaded files (photos, evidence), outside public/ and served only through access checks. */
  TIAOJIE_UPLOAD_DIR: z.string().min(1).default('data/uploads'),
})

export type Env = z.infer<typeof schema> & {
  TIAOJIE_DATA_KEY: string
  SESSION_SECRET: string
  APP_ORIGIN: string
}

const DEV_SECRETS_FILE = 'data/dev-secrets.json'

function devSecrets(): { dataKey: string; sessionSecret: string } {
  if (fs.existsSync(DEV_SECRETS_FILE)) return JSON.parse(fs.readFileSync(DEV_SECRETS_FILE, 'utf8'))
  const secrets = {
    dataKey: `1:${crypto.randomBytes(32).toString('base64')}`,
    sessionSecret: crypto.randomBytes(32).toString('base64'),
  }
  fs.mkdirSync(path.dirname(DEV_SECRETS_FILE), { recursive: true })
  fs.writeFileSync(DEV_SECRETS_FILE, JSON.stringify(secrets, null, 2), { mode: 0o600 })
  return secrets
}

let cached: Env | undefined

export function getEnv(): Env {
  if (cached) return cached
  const parsed = schema.safeParse(process.env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new Error(`Invalid environment: ${problems}`)
  }
  const env = parsed.data
  if (env.NODE_ENV === 'production') {
    const missing = (['TIAOJIE_DATA_KEY', 'SESSION_SECRET', 'APP_ORIGIN'] as const).filter((k) => !env[k])
    if (missing.length) throw new Error(`Missing in production: ${missing.join(', ')}`)
  }
  const needsDev = !env.TIAOJIE_DATA_KEY || !env.SESSION_SECRET
  const dev = needsDev ? devSecrets() : undefined
  cached = {
    ...env,
    TIAOJIE_DATA_KEY: env.TIAOJIE_DATA_KEY ?? dev!.dataKey,
    SESSION_SECRET: env.SESSION_SECRET ?? dev!.sessionSecret,
    APP_ORIGIN: env.APP_ORIGIN ?? `http://localhost:${env.PORT}`,
  }
  return cached
}

/** For tests that change the environment between cases. */
export function resetEnvCache(): void {
  cached = undefined
}
