import { Elysia } from 'elysia'

// No inline scripts anywhere: every script is a file served by MoviePoint itself.
// 'wasm-unsafe-eval' lets ffmpeg.wasm compile; blob: covers the local preview of a
// chosen file; media from blob: and self only (plus data:, the empty "data:,WEBVTT"
// source hls.js gives the <track> elements it fills with subtitle cues). No inline styles
// either: stylesheets are files; scripts style elements through the CSSOM only.
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: data:",
  "connect-src 'self' blob: data:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

export const securityHeaders = {
  'content-security-policy': contentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
} as const

export const securityHeadersPlugin = new Elysia({ name: 'security-headers' }).onRequest(({ set }) => {
  Object.assign(set.headers, securityHeaders)
})
