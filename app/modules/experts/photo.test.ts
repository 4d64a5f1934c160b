import { describe, expect, it } from 'vitest'
import { detectPhotoType, extensionMatches } from './photo.ts'

const bytes = (...values: number[]) => new Uint8Array(values)

describe('photo types by their bytes', () => {
  it('recognises JPEG, PNG and WebP', () => {
    expect(detectPhotoType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('jpeg')
    expect(detectPhotoType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('png')
    expect(detectPhotoType(bytes(0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50))).toBe('webp')
  })

  it('refuses anything else, whatever its name says', () => {
    expect(detectPhotoType(new TextEncoder().encode('<svg onload=alert(1)>'))).toBeNull()
    expect(detectPhotoType(bytes(0x47, 0x49, 0x46, 0x38))).toBeNull()
    expect(detectPhotoType(bytes(0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x41, 0x56, 0x49))).toBeNull()
    expect(detectPhotoType(bytes())).toBeNull()
    expect(extensionMatches('me.JPG', 'jpeg')).toBe(true)
    expect(extensionMatches('me.png.html', 'png')).toBe(false)
  })
})
