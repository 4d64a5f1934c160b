/**
 * Recognising an uploaded photo by its first bytes, never by its name or the browser's claim
 * (security checklist 22): JPEG, PNG and WebP only.
 */
export const PHOTO_TYPES = {
  jpeg: { mime: 'image/jpeg', extension: 'jpg' },
  png: { mime: 'image/png', extension: 'png' },
  webp: { mime: 'image/webp', extension: 'webp' },
} as const

export type PhotoType = keyof typeof PHOTO_TYPES

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0) =>
  bytes.length >= offset + signature.length && signature.every((b, i) => bytes[offset + i] === b)

export function detectPhotoType(bytes: Uint8Array): PhotoType | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg'
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png'
  // RIFF....WEBP
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return 'webp'
  return null
}

/** Extensions a user's file may carry for its detected type (the name must not contradict the bytes). */
const EXTENSIONS: Record<PhotoType, readonly string[]> = { jpeg: ['jpg', 'jpeg'], png: ['png'], webp: ['webp'] }

export function extensionMatches(fileName: string, type: PhotoType): boolean {
  const extension = fileName.toLowerCase().split('.').pop() ?? ''
  return EXTENSIONS[type].includes(extension)
}

export function photoTypeOfMime(mime: string | null): PhotoType | null {
  for (const [type, info] of Object.entries(PHOTO_TYPES)) if (info.mime === mime) return type as PhotoType
  return null
}
