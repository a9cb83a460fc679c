import { isApiError } from '@/api/http'
import { describeError, type Translate } from '@/api/errors'
import type { Role } from '@/api/types'
import {
  DEVICE_HEALTHS,
  DISPLAY_INPUTS,
  PAN_DIRECTIONS,
  ZOOM_MODES,
  type DeviceAction,
  type DeviceCommandRequest,
  type DeviceHealth,
  type DeviceStatusEvent,
  type PanDirection,
  type SiteDevices,
  type ZoomMode,
} from '@/api/stations'

// Pure helpers behind the device panel: request builders, status tags, error sentences, live updates.

/** Roles the hub lets send device commands and prepare/release (Policies.DeviceControllers). */
export const DEVICE_CONTROL_ROLES: Role[] = ['DistrictAdmin', 'BranchAdmin', 'OrgStaff', 'StationAttendant']
/** Roles that may create agent enrolment tokens (Policies.DirectoryWriters). */
export const ENROLLMENT_ROLES: Role[] = ['DistrictAdmin', 'BranchAdmin']

export const PRESET_BUTTONS = [1, 2, 3, 4, 5, 6, 7, 8] as const
export const SPEED_MIN = 1
export const SPEED_MAX = 24
export const DEFAULT_SPEED = 8

export type BuildResult = { ok: true; request: DeviceCommandRequest } | { ok: false; field: string; reason: string }

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v)
const fail = (field: string, reason: string): BuildResult => ({ ok: false, field, reason })
const ok = (request: DeviceCommandRequest): BuildResult => ({ ok: true, request })

/** Recall (or store, `set`) camera preset `preset` (0–255). */
export function presetCommand(preset: number, set = false): BuildResult {
  if (!isInt(preset) || preset < 0 || preset > 255) return fail('preset', '0–255')
  return ok({ action: set ? 'SetPreset' : 'RecallPreset', preset })
}

/** Move the camera head; `stop` as a direction is sent as the Stop action. Speed is 1–24. */
export function panTiltCommand(direction: PanDirection | string, speed: number): BuildResult {
  if (!(PAN_DIRECTIONS as readonly string[]).includes(direction)) return fail('direction', PAN_DIRECTIONS.join(', '))
  if (direction === 'stop') return ok({ action: 'Stop' })
  if (!isInt(speed) || speed < SPEED_MIN || speed > SPEED_MAX) return fail('speed', `${SPEED_MIN}–${SPEED_MAX}`)
  return ok({ action: 'PanTilt', direction: direction as PanDirection, speed })
}

export function zoomCommand(zoom: ZoomMode | string): BuildResult {
  if (!(ZOOM_MODES as readonly string[]).includes(zoom)) return fail('zoom', ZOOM_MODES.join(', '))
  return ok({ action: 'Zoom', zoom: zoom as ZoomMode })
}

export function inputCommand(input: string): BuildResult {
  if (!(DISPLAY_INPUTS as readonly string[]).includes(input)) return fail('input', DISPLAY_INPUTS.join(', '))
  return ok({ action: 'SelectInput', input })
}

export function volumeCommand(volume: number): BuildResult {
  if (!isInt(volume) || volume < 0 || volume > 100) return fail('volume', '0–100')
  return ok({ action: 'SetVolume', volume })
}

export function simpleCommand(action: Extract<DeviceAction, 'PowerOn' | 'PowerOff' | 'Stop' | 'RelayOn' | 'RelayOff'>): BuildResult {
  return ok({ action })
}

/** What the panel offers for a device kind. */
export type ControlSet = 'camera' | 'display' | 'relay' | 'none'
export function controlSetFor(kind: string): ControlSet {
  switch (kind) {
    case 'Camera':
      return 'camera'
    case 'Display':
      return 'display'
    case 'Relay':
      return 'relay'
    default:
      return 'none'
  }
}

/** Health → Element Plus tag type and i18n key (正常/告警/故障/未知). Legacy directory values map too. */
export function healthTag(status: string | null | undefined): { type: 'success' | 'warning' | 'danger' | 'info'; key: string } {
  switch (status) {
    case 'Ok':
    case 'Online':
      return { type: 'success', key: 'deviceHealth.Ok' }
    case 'Warning':
      return { type: 'warning', key: 'deviceHealth.Warning' }
    case 'Failed':
    case 'Fault':
    case 'Error':
      return { type: 'danger', key: 'deviceHealth.Failed' }
    default:
      return { type: 'info', key: 'deviceHealth.Unknown' }
  }
}

/** SignalR may be configured without the string-enum converter; accept 0–3 too. */
export function normalizeHealth(health: unknown): DeviceHealth {
  if (typeof health === 'number') return DEVICE_HEALTHS[health] ?? 'Unknown'
  return (DEVICE_HEALTHS as readonly unknown[]).includes(health) ? (health as DeviceHealth) : 'Unknown'
}

/** i18n key for a command/step outcome (成功/不支持/…); unknown outcomes have none. */
export function outcomeKey(outcome: string): string | null {
  return ['Ok', 'Unsupported', 'InvalidArgument', 'TimedOut', 'DeviceFailed', 'UnknownDevice'].includes(outcome) ? `deviceControl.outcomes.${outcome}` : null
}

const ENGLISH_TITLES = /^(the device cannot do that|the agent does not drive this device|the device did not answer in time|the device reported a failure|conflict)$/i
/** Server sentences that just restate our headline in English are left out. */
const REDUNDANT_DETAIL = /^the site's station agent is offline/i

/**
 * One Chinese sentence for a failed device command, prepare or release:
 * 409 → 站点离线，命令未发送; 422 → 设备不支持该操作 / 站点代理未接入该设备; 502 → 设备报告故障;
 * 504 → 设备未及时响应; 403 → 无设备控制权限. The device's own detail follows after "：".
 * Anything else falls back to describeError.
 */
export function commandErrorMessage(error: unknown, t: Translate): string {
  if (!isApiError(error) || error.kind !== 'http') return describeError(error, t)
  const title = error.problem?.title?.trim() ?? ''
  const detail = error.problem?.detail?.trim() ?? ''
  let headline: string
  switch (error.status) {
    case 409:
      headline = t('deviceControl.errors.offline')
      break
    case 422:
      headline = /does not drive/i.test(title) ? t('deviceControl.errors.notDriven') : t('deviceControl.errors.unsupported')
      break
    case 502:
      headline = t('deviceControl.errors.failed')
      break
    case 504:
      headline = t('deviceControl.errors.timeout')
      break
    case 403:
      headline = t('deviceControl.errors.forbidden')
      break
    case 404:
      headline = t('deviceControl.errors.notFound')
      break
    default:
      return describeError(error, t)
  }
  const extra = [title && !ENGLISH_TITLES.test(title) ? title : '', detail && !REDUNDANT_DETAIL.test(detail) && detail !== title ? detail : ''].filter(
    (s) => s !== '',
  )
  return extra.length > 0 ? `${headline}：${extra.join('；')}` : headline
}

/**
 * Applies a `deviceStatus` push to the devices on screen. Returns the same object when nothing
 * changed (other site, unknown code, or an observation older than what is shown).
 */
export function applyDeviceStatus(view: SiteDevices, event: DeviceStatusEvent): SiteDevices {
  if (event.siteId !== view.siteId) return view
  const index = view.devices.findIndex((d) => d.code === event.code)
  if (index < 0) return view
  const current = view.devices[index]!
  if (current.lastSeen && event.observedAt && Date.parse(event.observedAt) < Date.parse(current.lastSeen)) return view
  const next = view.devices.slice()
  next[index] = {
    ...current,
    status: normalizeHealth(event.health),
    detail: event.detail ?? null,
    lastSeen: event.observedAt ?? current.lastSeen,
    state: event.state ? { ...(current.state ?? {}), ...event.state } : current.state,
  }
  // A status report proves the agent is connected, even if the siteOnline push is still on its way.
  return { ...view, online: true, devices: next }
}

/** Applies a `siteOnline` push; going offline makes every device's status unknown (as the hub reports it). */
export function applySiteOnline(view: SiteDevices, change: { id: string; online: boolean }): SiteDevices {
  if (change.id !== view.siteId || change.online === view.online) return view
  if (change.online) return { ...view, online: true }
  return { ...view, online: false, devices: view.devices.map((d) => ({ ...d, status: 'Unknown' })) }
}

/** Merges the state a command returned into the device (so power/input show at once). */
export function applyCommandState(view: SiteDevices, deviceId: string, state: Record<string, string> | null | undefined): SiteDevices {
  if (!state || Object.keys(state).length === 0) return view
  const index = view.devices.findIndex((d) => d.id === deviceId)
  if (index < 0) return view
  const next = view.devices.slice()
  next[index] = { ...next[index]!, state: { ...(next[index]!.state ?? {}), ...state } }
  return { ...view, devices: next }
}

/**
 * Runs tasks one after another: a Stop must never overtake the PanTilt it ends (two fetches in
 * flight may reach the hub in either order). A failed task does not block the next.
 */
export function createSerialQueue() {
  let tail: Promise<unknown> = Promise.resolve()
  return function enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = tail.then(task, task)
    tail = run.catch(() => undefined)
    return run
  }
}

/** Local-day range for the check-in query: [from 00:00, day after `to` 00:00) as ISO instants. */
export function checkInRange(from: Date, to: Date): { from: string; to: string } {
  const start = new Date(from.getFullYear(), from.getMonth(), from.getDate())
  const end = new Date(to.getFullYear(), to.getMonth(), to.getDate() + 1)
  return { from: start.toISOString(), to: end.toISOString() }
}

/** The command line and config the enrolment dialog shows. */
export function agentSetup(hubUrl: string, siteId: string, token: string): { config: string; command: string } {
  const config = JSON.stringify(
    { hubUrl: hubUrl.replace(/\/+$/, ''), siteId, enrollmentToken: token, dataDirectory: 'agent-data', devices: [] },
    null,
    2,
  )
  return { config, command: 'dotnet run --project station-agent/VideoLink.StationAgent -- --config agent.json' }
}

const pad2 = (n: number) => String(n).padStart(2, '0')
/** Local time as `YYYY-MM-DD HH:mm:ss` (or `MM-DD HH:mm:ss` with `short`); '' for a missing or bad value. */
export function formatTime(iso: string | null | undefined, short = false): string {
  if (!iso) return ''
  const t = new Date(iso)
  if (Number.isNaN(t.getTime())) return ''
  const date = `${pad2(t.getMonth() + 1)}-${pad2(t.getDate())}`
  const time = `${pad2(t.getHours())}:${pad2(t.getMinutes())}:${pad2(t.getSeconds())}`
  return short ? `${date} ${time}` : `${t.getFullYear()}-${date} ${time}`
}
