import type { MessageKey } from '#app/lib/i18n.ts'
import type { TrainingFormat, TrainingKind, TrainingSource } from '#db/schema.ts'
import type { Audience } from './content-schema.ts'

export const KINDS: TrainingKind[] = ['pre_service', 'topic', 'annual', 'promotion']
export const AUDIENCES: Audience[] = ['full_time', 'part_time', 'sector', 'all']

export const kindLabel = (k: TrainingKind): MessageKey => `training.kind.${k}`
export const audienceLabel = (a: Audience): MessageKey => `training.audience.${a}`
export const sourceLabel = (s: TrainingSource): MessageKey => `training.source.${s}`
export const formatLabel = (f: TrainingFormat): MessageKey => `training.format.${f}`
export const recordStatusLabel = (s: 'approved' | 'pending' | 'rejected'): MessageKey => `training.record.status.${s}`
