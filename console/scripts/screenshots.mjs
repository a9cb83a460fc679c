// Review screenshots of the site page's device panel (not part of `npm test`).
// Needs a running console (dev server or hub) with the demo station agent connected:
//   CONSOLE_URL=http://127.0.0.1:5199 SITE_ID=… ADMIN_PASSWORD=… node scripts/screenshots.mjs [outDir]
// Uses playwright-core with the system Chromium; no browser is downloaded.
import { chromium } from 'playwright-core'
import { mkdirSync } from 'node:fs'

const base = process.env.CONSOLE_URL ?? 'http://127.0.0.1:5199'
const siteId = process.env.SITE_ID ?? '6e711286-9bc9-5b1b-bad8-623f9409ac7f'
const user = process.env.ADMIN_USER ?? 'admin'
const password = process.env.ADMIN_PASSWORD ?? 'Admin-12345'
const out = process.argv[2] ?? 'screenshots'
mkdirSync(out, { recursive: true })

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
})
const page = await browser.newPage({ viewport: { width: 1366, height: 768 } })
if (process.env.LOCALE) await page.addInitScript((l) => localStorage.setItem('videolink.locale', l), process.env.LOCALE)
const log = []
page.on('console', (m) => m.type() === 'error' && log.push(m.text()))
page.on('request', (r) => r.url().includes('/commands') && log.push(`${r.method()} ${new URL(r.url()).pathname} ${r.postData()}`))
const shot = (name) => page.screenshot({ path: `${out}/${name}.png` })

await page.goto(`${base}/login`)
await page.fill('input[autocomplete="username"]', user)
await page.fill('input[autocomplete="current-password"]', password)
await page.click('button[type="submit"]')
await page.waitForURL((u) => !u.pathname.startsWith('/login'))
await page.goto(`${base}/sites/${siteId}`)
await page.waitForSelector('.device-panel .el-table__row')
await page.waitForTimeout(1500)
await shot(process.env.READ_ONLY ? '10-read-only' : process.env.LOCALE ? `01-site-devices-${process.env.LOCALE}` : '01-site-devices')
if (process.env.LOCALE) {
  await browser.close()
  process.exit(0)
}
if (process.env.READ_ONLY) {
  console.log('pad present:', await page.locator('[data-testid="ptz-pad"]').count(), 'prepare present:', await page.locator('[data-testid="prepare"]').count(), 'enrol present:', await page.locator('[data-testid="enroll"]').count())
  await browser.close()
  process.exit(0)
}

if (process.env.LIVE_CHECK) {
  // Stop the agent while this waits: the page must turn offline by itself, then online again on restart.
  console.log('waiting for the site to go offline…')
  await page.waitForSelector('[data-testid="offline-note"]', { timeout: 90_000 })
  await page.waitForTimeout(500)
  await shot('08-offline')
  console.log('offline shown; pad disabled:', await page.locator('[data-dir="up"]').isDisabled())
  console.log('waiting for the site to come back…')
  await page.waitForSelector('[data-testid="offline-note"]', { state: 'detached', timeout: 120_000 })
  await page.waitForTimeout(2500)
  await shot('09-back-online')
  console.log('online again; pad disabled:', await page.locator('[data-dir="up"]').isDisabled())
  await browser.close()
  process.exit(0)
}

// Hold "up" for 600 ms, then release: PanTilt then exactly one Stop.
const up = page.locator('[data-dir="up"]')
await up.hover()
await page.mouse.down()
await page.waitForTimeout(600)
await shot('02-pad-held')
await page.mouse.up()
await page.waitForTimeout(800)

// A touch that the browser cancels (e.g. a system gesture) must stop the camera too.
const down = page.locator('[data-dir="down"]')
await down.dispatchEvent('pointerdown', { pointerId: 5, pointerType: 'touch', isPrimary: true, button: 0 })
await page.waitForTimeout(400)
await down.dispatchEvent('pointercancel', { pointerId: 5, pointerType: 'touch', isPrimary: true })
await down.dispatchEvent('pointerleave', { pointerId: 5, pointerType: 'touch', isPrimary: true })
await page.waitForTimeout(800)

await page.click('[data-preset="2"]')
await page.waitForTimeout(1200)
await shot('03-preset-recalled')

await page.click('[data-testid="prepare"]')
await page.waitForTimeout(2500)
await shot('04-prepare-steps')

await page.click('[data-testid="set-preset-mode"]')
await page.click('[data-preset="3"]')
await page.waitForTimeout(500)
await shot('05-set-preset-confirm')
await page.keyboard.press('Escape')
await page.waitForTimeout(300)

await page.locator('.device-panel .el-table__row', { hasText: 'lamp' }).click()
await page.getByRole('button', { name: /打开|On/ }).first().click()
await page.waitForTimeout(1200)
await shot('06a-relay')

// Preset names: rename preset 1 (kept in localStorage, survives a reload).
await page.locator('.device-panel .el-table__row', { hasText: 'cam1' }).click()
await page.locator('.preset').first().locator('button').nth(1).click()
await page.locator('.el-message-box input').fill('主席台')
await page.locator('.el-message-box .el-button--primary').click()
await page.waitForTimeout(400)
console.log('preset 1 label:', (await page.locator('[data-preset="1"]').innerText()).replace(/\s+/g, ' '))

if (process.env.MOCK_DISPLAY) {
  // The demo site has no display in the hub's registry: add one in the browser to review its controls.
  await page.route('**/api/sites/*/devices', async (route) => {
    const res = await route.fetch()
    const body = await res.json()
    body.devices.push({ id: '00000000-0000-0000-0000-0000000000d1', code: 'display1', name: '会议显示屏', kind: 'Display', driver: 'samsung-mdc-tcp', status: 'Warning', detail: '温度偏高', lastSeen: new Date().toISOString(), state: { power: 'On', input: 'HDMI1', volume: '35' } })
    await route.fulfill({ response: res, json: body })
  })
  await page.route('**/devices/00000000-0000-0000-0000-0000000000d1/commands', (route) =>
    route.fulfill({ status: 504, contentType: 'application/problem+json', body: JSON.stringify({ title: 'The device did not answer in time', status: 504, detail: 'samsung-mdc-tcp: no reply after 3 tries' }) }),
  )
  await page.locator('.device-panel .panel-toolbar').getByRole('button', { name: /刷新/ }).click()
  await page.waitForTimeout(800)
  await page.locator('.device-panel .el-table__row', { hasText: 'display1' }).click()
  await page.locator('.el-radio-button', { hasText: 'HDMI2' }).click()
  await page.waitForTimeout(800)
  await shot('06b-display-timeout')
}

await page.getByRole('tab', { name: /考勤记录/ }).click()
await page.waitForTimeout(1500)
await shot('06-checkins')

await page.click('[data-testid="enroll"]')
await page.waitForSelector('[data-testid="enroll-token"]')
await page.waitForTimeout(500)
await shot('07-enrollment')

await browser.close()
console.log(log.join('\n'))
