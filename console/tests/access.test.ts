import { describe, expect, it } from 'vitest'
import { canOpen, PAGE_ROLES } from '@/auth/access'
import { ROLES } from '@/api/types'

const ADMIN_PAGES = ['users', 'admin-org-units', 'admin-sites', 'admin-endpoints']

describe('page access follows the role', () => {
  it('a member sees no admin pages and no meeting control', () => {
    for (const page of [...ADMIN_PAGES, 'people', 'rooms', 'room', 'bookings', 'attendance']) expect(canOpen(page, 'Member'), page).toBe(false)
    expect(canOpen('dashboard', 'Member')).toBe(true)
    expect(canOpen('notices', 'Member')).toBe(true)
  })

  it('district and branch admins see every page', () => {
    for (const page of Object.keys(PAGE_ROLES)) {
      expect(canOpen(page, 'DistrictAdmin'), page).toBe(true)
      expect(canOpen(page, 'BranchAdmin'), page).toBe(true)
    }
  })

  it('organisation staff chair and book meetings but do not administer the directory', () => {
    for (const page of ['rooms', 'room', 'bookings', 'attendance']) expect(canOpen(page, 'OrgStaff'), page).toBe(true)
    for (const page of ADMIN_PAGES) expect(canOpen(page, 'OrgStaff'), page).toBe(false)
  })

  it('an expert may host a room but sees no attendance or admin', () => {
    expect(canOpen('room', 'Expert')).toBe(true)
    expect(canOpen('attendance', 'Expert')).toBe(false)
    expect(canOpen('admin-sites', 'Expert')).toBe(false)
  })

  it('no role at all opens only the unrestricted pages', () => {
    expect(canOpen('dashboard', null)).toBe(true)
    expect(canOpen('rooms', undefined)).toBe(false)
    for (const roles of Object.values(PAGE_ROLES)) for (const r of roles) expect(ROLES).toContain(r)
  })
})
