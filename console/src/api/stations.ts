import type { ApiClient } from './http'

// Shapes of the hub's station API (issue 6, hub/VideoLink.Hub/Api/StationsApi.cs). Enums are strings.

export const DEVICE_KINDS = ['Camera', 'Display', 'CardReader', 'Relay', 'Button', 'SatisfactionKeys'] as const
export type DeviceKind = (typeof DEVICE_KINDS)[number]

export const DEVICE_HEALTHS = ['Unknown', 'Ok', 'Warning', 'Failed'] as const
export type DeviceHealth = (typeof DEVICE_HEALTHS)[number]

export const DEVICE_ACTIONS = [
  'PowerOn',
  'PowerOff',
  'RecallPreset',
  'SetPreset',
  'PanTilt',
  'Stop',
  'Zoom',
  'SelectInput',
  'SetVolume',
  'RelayOn',
  'RelayOff',
] as const
export type DeviceAction = (typeof DEVICE_ACTIONS)[number]

export const PAN_DIRECTIONS = ['up', 'down', 'left', 'right', 'upleft', 'upright', 'downleft', 'downright', 'stop'] as const
export type PanDirection = (typeof PAN_DIRECTIONS)[number]

export const ZOOM_MODES = ['tele', 'wide', 'stop'] as const
export type ZoomMode = (typeof ZOOM_MODES)[number]

export const DISPLAY_INPUTS = ['HDMI1', 'HDMI2', 'DP1'] as const

export const COMMAND_OUTCOMES = ['Ok', 'Unsupported', 'InvalidArgument', 'TimedOut', 'DeviceFailed', 'UnknownDevice'] as const
export type CommandOutcome = (typeof COMMAND_OUTCOMES)[number]

export const CHECKIN_METHODS = ['IdCard', 'IcCard', 'SignIn', 'SignOut', 'Button', 'Rating'] as const
export type CheckInMethod = (typeof CHECKIN_METHODS)[number]

/** Reported device state, e.g. `{ power: 'On', input: 'HDMI1' }`. */
export type DeviceState = Record<string, string>

export interface SiteDevice {
  id: string
  code: string
  name: string
  kind: DeviceKind | string
  driver: string
  status: DeviceHealth | string
  detail: string | null
  lastSeen: string | null
  state: DeviceState | null
}

export interface SiteDevices {
  siteId: string
  online: boolean
  devices: SiteDevice[]
}

export interface DeviceCommandRequest {
  action: DeviceAction
  preset?: number
  direction?: PanDirection
  speed?: number
  zoom?: ZoomMode
  input?: string
  volume?: number
}

export interface DeviceCommandResponse {
  outcome: CommandOutcome | string
  detail: string | null
  state: DeviceState | null
}

export interface PreparationStepResult {
  deviceCode: string
  action: string
  outcome: CommandOutcome | string
  detail: string | null
}

export interface PreparationResult {
  steps: PreparationStepResult[]
}

export interface Enrollment {
  siteId: string
  token: string
  expiresAt: string
}

export interface CheckIn {
  id: string
  deviceCode: string
  method: CheckInMethod | string
  personMasked: string | null
  detail: string | null
  deviceTime: string
  receivedAt: string
}

/** `deviceStatus` push on /hubs/console. */
export interface DeviceStatusEvent {
  siteId: string
  code: string
  health: DeviceHealth | string | number
  detail: string | null
  observedAt: string
  state: DeviceState | null
}

const site = (siteId: string) => `/api/sites/${encodeURIComponent(siteId)}`

/** Typed calls for the station API. */
export function stationsApi(api: ApiClient) {
  return {
    devices: (siteId: string) => api.get<SiteDevices>(`${site(siteId)}/devices`),
    command: (siteId: string, deviceId: string, req: DeviceCommandRequest) =>
      api.post<DeviceCommandResponse>(`${site(siteId)}/devices/${encodeURIComponent(deviceId)}/commands`, req),
    prepare: (siteId: string, roomId: string | null = null) => api.post<PreparationResult>(`${site(siteId)}/prepare`, { roomId }),
    release: (siteId: string) => api.post<PreparationResult>(`${site(siteId)}/release`, {}),
    enroll: (siteId: string) => api.post<Enrollment>(`${site(siteId)}/agent-enrollments`),
    checkins: (siteId: string, range: { from?: string; to?: string } = {}) => api.get<CheckIn[]>(`${site(siteId)}/checkins`, range),
  }
}

export type StationsApi = ReturnType<typeof stationsApi>
