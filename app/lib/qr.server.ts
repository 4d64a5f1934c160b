/**
 * QR codes for printed documents (certificates point to their public verification page), made
 * with the `qrcode` package as SVG and sent as a data URL: no script, no external request.
 */
import QRCode from 'qrcode'

export async function qrDataUrl(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 })
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`
}
