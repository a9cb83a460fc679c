import { describe, expect, it } from 'vitest'
import { displayIdNumber, displayPhone } from '@/utils/mask'

describe('displayIdNumber', () => {
  it('shows a server-masked ID number as it is', () => {
    expect(displayIdNumber('110***********1234')).toBe('110***********1234')
    expect(displayIdNumber('3301**********123X')).toBe('3301**********123X')
  })

  it('never shows a full 18-digit ID: keeps first 3 and last 4', () => {
    const shown = displayIdNumber('110101199003071234')
    expect(shown).toBe('110***********1234')
    expect(shown).toHaveLength(18)
    expect(shown).not.toContain('19900307')
  })

  it('handles the X check digit and the old 15-digit form', () => {
    expect(displayIdNumber('11010119900307123x')).toBe('110***********123X')
    expect(displayIdNumber('110101900307123')).toBe('110********7123')
  })

  it('strips spaces before deciding', () => {
    expect(displayIdNumber('110101 19900307 1234')).toBe('110***********1234')
  })

  it('shows a dash for missing values', () => {
    expect(displayIdNumber(null)).toBe('—')
    expect(displayIdNumber(undefined)).toBe('—')
    expect(displayIdNumber('')).toBe('—')
  })

  it('keeps only the last 4 of unknown formats', () => {
    expect(displayIdNumber('E12345678')).toBe('*****5678')
    expect(displayIdNumber('AB1')).toBe('***')
  })
})

describe('displayPhone', () => {
  it('masks the middle of a mainland mobile number', () => {
    expect(displayPhone('13812345678')).toBe('138****5678')
    expect(displayPhone('+86 138-1234-5678')).toBe('138****5678')
  })
  it('keeps server-masked numbers and dashes for empty', () => {
    expect(displayPhone('138****5678')).toBe('138****5678')
    expect(displayPhone(null)).toBe('—')
  })
  it('keeps only the last 4 of landlines', () => {
    expect(displayPhone('0571-87654321')).toBe('********4321')
  })
})
