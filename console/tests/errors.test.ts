import { describe, expect, it } from 'vitest'
import { describeError } from '@/api/errors'
import { ApiError } from '@/api/http'
import { i18n } from '@/i18n'

const t = (key: string, named?: Record<string, unknown>) => (named ? i18n.global.t(key, named) : i18n.global.t(key))

describe('describeError (zh-CN)', () => {
  it('shows a Chinese headline for the status and the server detail', () => {
    const e = new ApiError('http', 409, { title: 'Conflict', status: 409, detail: '用户名 zhang 已存在' })
    expect(describeError(e, t)).toBe('与现有数据冲突：用户名 zhang 已存在')
  })

  it('hides ASP.NET boilerplate titles and lists field errors', () => {
    const e = new ApiError('http', 400, {
      title: 'One or more validation errors occurred.',
      status: 400,
      errors: { Password: ['密码至少 8 位'], Role: ['The value is not valid.'] },
    })
    expect(describeError(e, t)).toBe('请求内容有误：Password: 密码至少 8 位；Role: The value is not valid.')
  })

  it('keeps a meaningful custom title', () => {
    const e = new ApiError('http', 423, { title: '账号已锁定 15 分钟', status: 423 })
    expect(describeError(e, t)).toBe('账号已被临时锁定，请稍后再试：账号已锁定 15 分钟')
  })

  it('falls back to the status sentence when there is nothing else', () => {
    expect(describeError(new ApiError('http', 403, { status: 403 }), t)).toBe('没有权限执行此操作')
    expect(describeError(new ApiError('http', 500, { status: 500, title: 'Internal Server Error' }), t)).toBe('服务器内部错误（500）')
    expect(describeError(new ApiError('http', 418, { status: 418 }), t)).toBe('请求内容有误')
  })

  it('explains network and timeout failures', () => {
    expect(describeError(new ApiError('network', 0), t)).toBe('无法连接服务器，请检查网络后重试')
    expect(describeError(new ApiError('timeout', 0), t)).toBe('服务器响应超时，请稍后重试')
  })

  it('handles non-API errors', () => {
    expect(describeError(new Error('boom'), t)).toBe('发生了意外错误：boom')
    expect(describeError('weird', t)).toBe('发生了意外错误')
  })
})
