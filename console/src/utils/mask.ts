// The hub masks personal data before it leaves the server (idNumberMasked, phoneMasked).
// These helpers are the console's second line: whatever arrives, a full 居民身份证号码 or a
// full mobile number is never put on screen.

const MASK = '*'

/** 18-digit resident ID (last char may be X) or the old 15-digit form. */
const FULL_ID = /^(\d{17}[\dXx]|\d{15})$/
/** Mainland mobile number, optionally with +86 / 86. */
const FULL_MOBILE = /^(?:\+?86)?(1\d{10})$/

/**
 * Display form of a resident ID number: first 3 and last 4 kept (`110***********123X`).
 * Already-masked values are shown as they are; empty → '—'.
 */
export function displayIdNumber(value: string | null | undefined): string {
  const v = (value ?? '').replace(/\s+/g, '')
  if (v === '') return '—'
  if (v.includes(MASK)) return v
  if (FULL_ID.test(v)) return v.slice(0, 3) + MASK.repeat(v.length - 7) + v.slice(-4).toUpperCase()
  // Unknown format (passport, HK/Macau permit…): keep at most the last 4.
  return v.length <= 4 ? MASK.repeat(v.length) : MASK.repeat(v.length - 4) + v.slice(-4)
}

/** Display form of a phone number: `138****5678`; masked values unchanged; empty → '—'. */
export function displayPhone(value: string | null | undefined): string {
  const v = (value ?? '').replace(/[\s-]+/g, '')
  if (v === '') return '—'
  if (v.includes(MASK)) return v
  const mobile = FULL_MOBILE.exec(v)
  if (mobile) {
    const n = mobile[1]!
    return `${n.slice(0, 3)}****${n.slice(-4)}`
  }
  return v.length <= 4 ? MASK.repeat(v.length) : MASK.repeat(v.length - 4) + v.slice(-4)
}
