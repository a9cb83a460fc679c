import { describe, expect, it } from 'vitest'
import { createHoldPad } from '@/utils/holdPad'
import { panTiltCommand, simpleCommand } from '@/utils/deviceControl'

function setup() {
  const sent: unknown[] = []
  const pad = createHoldPad<'up' | 'left'>({
    start: (dir) => sent.push(panTiltCommand(dir, 8)),
    stop: () => sent.push(simpleCommand('Stop')),
  })
  const stops = () => sent.filter((s) => JSON.stringify(s).includes('"Stop"')).length
  return { pad, sent, stops }
}

describe('press-and-hold pad', () => {
  it('press sends PanTilt with direction and speed; release sends exactly one Stop', () => {
    const { pad, sent, stops } = setup()
    expect(pad.press('up', 1)).toBe(true)
    expect(pad.active).toBe('up')
    expect(sent).toEqual([{ ok: true, request: { action: 'PanTilt', direction: 'up', speed: 8 } }])
    expect(pad.release(1)).toBe(true)
    expect(pad.active).toBeNull()
    expect(stops()).toBe(1)
  })

  it('pointerup followed by pointerleave / cancel / blur still sends a single Stop', () => {
    const { pad, sent, stops } = setup()
    pad.press('left', 7)
    pad.release(7) // pointerup
    pad.release(7) // pointerleave after up
    pad.release(7) // pointercancel
    pad.release() // window blur / unmount
    expect(stops()).toBe(1)
    expect(sent).toHaveLength(2)
  })

  it('leaving the key (or a cancelled touch) ends the hold like a release', () => {
    const { pad, stops } = setup()
    pad.press('up', 3)
    expect(pad.release(3)).toBe(true) // pointerleave / pointercancel carry the same pointer id
    expect(stops()).toBe(1)
  })

  it('a second finger cannot start another movement, and its release does not stop the first', () => {
    const { pad, sent, stops } = setup()
    pad.press('up', 1)
    expect(pad.press('left', 2)).toBe(false)
    expect(pad.release(2)).toBe(false)
    expect(pad.active).toBe('up')
    expect(stops()).toBe(0)
    pad.release(1)
    expect(stops()).toBe(1)
    expect(sent).toHaveLength(2)
  })

  it('release without a press sends nothing; release-all (no pointer id) always ends the hold', () => {
    const { pad, sent } = setup()
    expect(pad.release(1)).toBe(false)
    expect(pad.release()).toBe(false)
    expect(sent).toHaveLength(0)
    pad.press('left', 4)
    expect(pad.release()).toBe(true)
    expect(sent).toHaveLength(2)
  })

  it('can be pressed again after a release (each hold: one PanTilt, one Stop)', () => {
    const { pad, sent, stops } = setup()
    for (let i = 0; i < 3; i++) {
      pad.press('up', 10 + i)
      pad.release(10 + i)
    }
    expect(sent).toHaveLength(6)
    expect(stops()).toBe(3)
  })
})
