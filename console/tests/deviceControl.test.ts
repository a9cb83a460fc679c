import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api/http'
import { i18n } from '@/i18n'
import { createApiClient } from '@/api/http'
import { stationsApi, type DeviceStatusEvent, type SiteDevices } from '@/api/stations'
import {
  DEVICE_CONTROL_ROLES,
  ENROLLMENT_ROLES,
  agentSetup,
  applyCommandState,
  applyDeviceStatus,
  applySiteOnline,
  checkInRange,
  commandErrorMessage,
  controlSetFor,
  createSerialQueue,
  formatTime,
  healthTag,
  inputCommand,
  normalizeHealth,
  outcomeKey,
  panTiltCommand,
  presetCommand,
  simpleCommand,
  volumeCommand,
  zoomCommand,
} from '@/utils/deviceControl'

const t = (key: string, named?: Record<string, unknown>) => (named ? i18n.global.t(key, named) : i18n.global.t(key))

describe('command request builders', () => {
  it('recall and set preset, 0–255', () => {
    expect(presetCommand(3)).toEqual({ ok: true, request: { action: 'RecallPreset', preset: 3 } })
    expect(presetCommand(8, true)).toEqual({ ok: true, request: { action: 'SetPreset', preset: 8 } })
    expect(presetCommand(0).ok).toBe(true)
    expect(presetCommand(255).ok).toBe(true)
    expect(presetCommand(256)).toMatchObject({ ok: false, field: 'preset' })
    expect(presetCommand(-1)).toMatchObject({ ok: false, field: 'preset' })
    expect(presetCommand(1.5)).toMatchObject({ ok: false, field: 'preset' })
  })

  it('pan/tilt carries direction and speed 1–24; direction stop becomes the Stop action', () => {
    expect(panTiltCommand('upleft', 8)).toEqual({ ok: true, request: { action: 'PanTilt', direction: 'upleft', speed: 8 } })
    expect(panTiltCommand('stop', 0)).toEqual({ ok: true, request: { action: 'Stop' } })
    expect(panTiltCommand('up', 0)).toMatchObject({ ok: false, field: 'speed' })
    expect(panTiltCommand('up', 25)).toMatchObject({ ok: false, field: 'speed' })
    expect(panTiltCommand('north', 5)).toMatchObject({ ok: false, field: 'direction' })
  })

  it('zoom, input, volume and the argument-less actions', () => {
    expect(zoomCommand('tele')).toEqual({ ok: true, request: { action: 'Zoom', zoom: 'tele' } })
    expect(zoomCommand('stop')).toEqual({ ok: true, request: { action: 'Zoom', zoom: 'stop' } })
    expect(zoomCommand('in')).toMatchObject({ ok: false, field: 'zoom' })
    expect(inputCommand('HDMI2')).toEqual({ ok: true, request: { action: 'SelectInput', input: 'HDMI2' } })
    expect(inputCommand('VGA')).toMatchObject({ ok: false, field: 'input' })
    expect(volumeCommand(0)).toEqual({ ok: true, request: { action: 'SetVolume', volume: 0 } })
    expect(volumeCommand(100).ok).toBe(true)
    expect(volumeCommand(101)).toMatchObject({ ok: false, field: 'volume' })
    expect(volumeCommand(Number.NaN)).toMatchObject({ ok: false, field: 'volume' })
    expect(simpleCommand('RelayOn')).toEqual({ ok: true, request: { action: 'RelayOn' } })
  })

  it('posts the command to the site device URL as JSON', async () => {
    const calls: Array<{ url: string; init: RequestInit }> = []
    const fetch = (async (url: string, init: RequestInit) => {
      calls.push({ url, init })
      return new Response('{"outcome":"Ok","detail":null,"state":{"power":"On"}}', { status: 200, headers: { 'content-type': 'application/json' } })
    }) as unknown as typeof globalThis.fetch
    const api = stationsApi(createApiClient({ fetch, getToken: () => 'tok' }))
    const built = presetCommand(2)
    if (!built.ok) throw new Error('unexpected')
    const res = await api.command('s1', 'd1', built.request)
    expect(res.state).toEqual({ power: 'On' })
    expect(calls[0]!.url).toBe('/api/sites/s1/devices/d1/commands')
    expect(calls[0]!.init.method).toBe('POST')
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ action: 'RecallPreset', preset: 2 })
    await api.prepare('s1')
    expect(JSON.parse(String(calls[1]!.init.body))).toEqual({ roomId: null })
    await api.checkins('s1', { from: '2026-11-01T00:00:00.000Z', to: '' })
    expect(calls[2]!.url).toBe('/api/sites/s1/checkins?from=2026-11-01T00%3A00%3A00.000Z')
  })
})

describe('status and outcome mapping', () => {
  it('health → tag type and 正常/告警/故障/未知', () => {
    expect(healthTag('Ok')).toEqual({ type: 'success', key: 'deviceHealth.Ok' })
    expect(healthTag('Warning')).toEqual({ type: 'warning', key: 'deviceHealth.Warning' })
    expect(healthTag('Failed')).toEqual({ type: 'danger', key: 'deviceHealth.Failed' })
    expect(healthTag('Unknown')).toEqual({ type: 'info', key: 'deviceHealth.Unknown' })
    expect(healthTag(null).key).toBe('deviceHealth.Unknown')
    expect(healthTag('Banana').type).toBe('info')
    expect(['Ok', 'Warning', 'Failed', 'Unknown'].map((s) => t(healthTag(s).key))).toEqual(['正常', '告警', '故障', '未知'])
  })

  it('numeric health values from SignalR are understood', () => {
    expect(normalizeHealth(2)).toBe('Warning')
    expect(normalizeHealth('Failed')).toBe('Failed')
    expect(normalizeHealth(9)).toBe('Unknown')
    expect(normalizeHealth('nope')).toBe('Unknown')
  })

  it('controls follow the device kind; outcomes have Chinese labels', () => {
    expect(controlSetFor('Camera')).toBe('camera')
    expect(controlSetFor('Display')).toBe('display')
    expect(controlSetFor('Relay')).toBe('relay')
    expect(controlSetFor('CardReader')).toBe('none')
    expect(t(outcomeKey('TimedOut')!)).toBe('超时未响应')
    expect(outcomeKey('Whatever')).toBeNull()
  })

  it('only the hub’s device controllers see controls; only directory writers enrol agents', () => {
    expect(DEVICE_CONTROL_ROLES).toEqual(['DistrictAdmin', 'BranchAdmin', 'OrgStaff', 'StationAttendant'])
    expect(ENROLLMENT_ROLES).toEqual(['DistrictAdmin', 'BranchAdmin'])
  })
})

describe('commandErrorMessage (zh-CN)', () => {
  it('409 → site offline, command not sent (English server sentence left out)', () => {
    const e = new ApiError('http', 409, { title: 'Conflict', status: 409, detail: "The site's station agent is offline; the command was not sent." })
    expect(commandErrorMessage(e, t)).toBe('站点离线，命令未发送')
  })

  it('422 → unsupported or not driven, with the device detail', () => {
    const unsupported = new ApiError('http', 422, { title: 'The device cannot do that', status: 422, detail: 'visca-serial cannot SelectInput.' })
    expect(commandErrorMessage(unsupported, t)).toBe('设备不支持该操作：visca-serial cannot SelectInput.')
    const notDriven = new ApiError('http', 422, { title: 'The agent does not drive this device', status: 422 })
    expect(commandErrorMessage(notDriven, t)).toBe('站点代理未接入该设备')
  })

  it('502 → device failure, 504 → no answer in time', () => {
    expect(commandErrorMessage(new ApiError('http', 502, { title: 'The device reported a failure', status: 502, detail: 'NAK 0x41' }), t)).toBe('设备报告故障：NAK 0x41')
    expect(commandErrorMessage(new ApiError('http', 504, { title: 'The device did not answer in time', status: 504 }), t)).toBe('设备未在规定时间内响应')
    expect(commandErrorMessage(new ApiError('http', 403, { status: 403 }), t)).toBe('您没有设备控制权限')
  })

  it('other failures fall back to the general sentence', () => {
    const e = new ApiError('http', 400, { title: 'Invalid request', status: 400, errors: { zoom: ['is required for Zoom'] } })
    expect(commandErrorMessage(e, t)).toBe('请求内容有误：zoom: is required for Zoom')
    expect(commandErrorMessage(new ApiError('network', 0), t)).toBe('无法连接服务器，请检查网络后重试')
    expect(commandErrorMessage(new ApiError('timeout', 0), t)).toBe('服务器响应超时，请稍后重试')
  })
})

const view = (): SiteDevices => ({
  siteId: 's1',
  online: true,
  devices: [
    { id: 'd1', code: 'cam1', name: '摄像头', kind: 'Camera', driver: 'visca-serial', status: 'Ok', detail: null, lastSeen: '2026-11-22T02:00:00Z', state: { power: 'On' } },
    { id: 'd2', code: 'lamp', name: '指示灯', kind: 'Relay', driver: 'lcus-relay', status: 'Unknown', detail: null, lastSeen: null, state: null },
  ],
})
const ev = (over: Partial<DeviceStatusEvent>): DeviceStatusEvent => ({
  siteId: 's1',
  code: 'cam1',
  health: 'Failed',
  detail: 'no reply',
  observedAt: '2026-11-22T02:05:00Z',
  state: null,
  ...over,
})

describe('live device status reducer', () => {
  it('updates status, detail, last seen and merges state of the matching device', () => {
    const before = view()
    const after = applyDeviceStatus(before, ev({ state: { zoom: '3' } }))
    expect(after).not.toBe(before)
    expect(after.devices[0]).toMatchObject({ status: 'Failed', detail: 'no reply', lastSeen: '2026-11-22T02:05:00Z', state: { power: 'On', zoom: '3' } })
    expect(after.devices[1]).toBe(before.devices[1])
    expect(before.devices[0]!.status).toBe('Ok')
  })

  it('ignores other sites, unknown codes and stale reports', () => {
    const before = view()
    expect(applyDeviceStatus(before, ev({ siteId: 's2' }))).toBe(before)
    expect(applyDeviceStatus(before, ev({ code: 'nope' }))).toBe(before)
    expect(applyDeviceStatus(before, ev({ observedAt: '2026-11-22T01:00:00Z' }))).toBe(before)
  })

  it('accepts numeric health and a report for a never-seen device; a report means the site is online', () => {
    const before = { ...view(), online: false }
    const after = applyDeviceStatus(before, ev({ code: 'lamp', health: 1, detail: null }))
    expect(after.devices[1]).toMatchObject({ status: 'Ok', lastSeen: '2026-11-22T02:05:00Z' })
    expect(after.online).toBe(true)
  })

  it('siteOnline: offline makes every status unknown; unchanged or other site is a no-op', () => {
    const before = view()
    const off = applySiteOnline(before, { id: 's1', online: false })
    expect(off.online).toBe(false)
    expect(off.devices.map((d) => d.status)).toEqual(['Unknown', 'Unknown'])
    expect(applySiteOnline(before, { id: 's1', online: true })).toBe(before)
    expect(applySiteOnline(before, { id: 's9', online: false })).toBe(before)
    expect(applySiteOnline(off, { id: 's1', online: true }).online).toBe(true)
  })

  it('a command result state is merged into its device', () => {
    const before = view()
    expect(applyCommandState(before, 'd1', { power: 'Off' }).devices[0]!.state).toEqual({ power: 'Off' })
    expect(applyCommandState(before, 'd1', null)).toBe(before)
    expect(applyCommandState(before, 'zz', { power: 'Off' })).toBe(before)
  })
})

describe('serial command queue', () => {
  it('a later command starts only after the earlier one settled, even if it failed', async () => {
    const queue = createSerialQueue()
    const log: string[] = []
    let finishFirst!: () => void
    const first = queue(
      () =>
        new Promise<void>((_, reject) => {
          log.push('PanTilt sent')
          finishFirst = () => reject(new Error('boom'))
        }),
    )
    const second = queue(async () => {
      log.push('Stop sent')
      return 'stopped'
    })
    await Promise.resolve()
    expect(log).toEqual(['PanTilt sent'])
    finishFirst()
    await expect(first).rejects.toThrow('boom')
    await expect(second).resolves.toBe('stopped')
    expect(log).toEqual(['PanTilt sent', 'Stop sent'])
  })
})

describe('misc helpers', () => {
  it('check-in range covers whole local days, end exclusive', () => {
    const r = checkInRange(new Date(2026, 10, 16, 15, 30), new Date(2026, 10, 22, 9, 0))
    expect(new Date(r.from).getTime()).toBe(new Date(2026, 10, 16).getTime())
    expect(new Date(r.to).getTime()).toBe(new Date(2026, 10, 23).getTime())
  })

  it('formats times locally and tolerates bad input', () => {
    const iso = new Date(2026, 0, 5, 7, 8, 9).toISOString()
    expect(formatTime(iso)).toBe('2026-01-05 07:08:09')
    expect(formatTime(iso, true)).toBe('01-05 07:08:09')
    expect(formatTime(null)).toBe('')
    expect(formatTime('garbage')).toBe('')
  })

  it('agent setup names the hub, the site and the token', () => {
    const s = agentSetup('http://hub.example:5080/', 's1', 'TOKEN')
    expect(JSON.parse(s.config)).toMatchObject({ hubUrl: 'http://hub.example:5080', siteId: 's1', enrollmentToken: 'TOKEN' })
    expect(s.command).toBe('dotnet run --project station-agent/VideoLink.StationAgent -- --config agent.json')
  })
})
