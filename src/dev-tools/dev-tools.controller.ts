import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DevToolsGuard } from '#src/dev-tools/dev-tools.guard.js';
import { OutboxSmsProvider, type OutboxEntry } from '#src/sms/providers/outbox-sms.provider.js';
import { CaptchaService } from '#src/verification/captcha.service.js';
import { SmsCodeService } from '#src/verification/sms-code.service.js';
import { verificationException, VerificationErrorCode } from '#src/verification/verification.exception.js';

/** Demo and black-box test helpers (DESIGN.md, Dev tools): what a phone and a pair of eyes would see. */
@ApiTags('开发工具（DEV_TOOLS=true）')
@UseGuards(DevToolsGuard)
@Controller('api/v1/dev')
export class DevToolsController {
  constructor(
    @Inject(OutboxSmsProvider) private readonly outbox: OutboxSmsProvider,
    @Inject(CaptchaService) private readonly captchas: CaptchaService,
    @Inject(SmsCodeService) private readonly codes: SmsCodeService,
  ) {}

  @Get('sms-outbox')
  @ApiOperation({ summary: '开发发件箱：outbox 通道“发出”的短信，最新在前' })
  @ApiQuery({ name: 'phone', required: false })
  @ApiQuery({ name: 'province', required: false })
  smsOutbox(@Query('phone') phone?: string, @Query('province') province?: string): Promise<OutboxEntry[]> {
    // An empty query parameter (`?phone=`) means no filter.
    return this.outbox.list({ phone: phone === '' ? undefined : phone, provinceId: province === '' ? undefined : province });
  }

  @Get('captchas/:captchaId')
  @ApiOperation({ summary: '图形验证码的答案（仅未过期、未使用的）' })
  async captcha(@Param('captchaId') captchaId: string): Promise<{ captchaId: string; provinceId: string; answer: string; expiresAt: Date }> {
    const found = await this.captchas.peek(captchaId);
    if (!found) throw new NotFoundException();
    return found;
  }

  @Post('sms-codes/verify')
  @HttpCode(200)
  @ApiOperation({ summary: '校验短信验证码（与注册、登录等调用的校验接口相同，校验成功即用掉）' })
  @ApiBody({ schema: { type: 'object', required: ['province', 'phone', 'purpose', 'code'], properties: { province: { type: 'string' }, phone: { type: 'string' }, purpose: { type: 'string' }, code: { type: 'string' } } } })
  async verifyCode(@Body() body: unknown): Promise<{ verified: true }> {
    const value = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const [province, phone, purpose, code] = ['province', 'phone', 'purpose', 'code'].map((name) => (typeof value[name] === 'string' ? value[name] : ''));
    if (!province || !phone || !purpose || !code) throw verificationException(VerificationErrorCode.REQUEST_INVALID, '需要 province、phone、purpose、code');
    await this.codes.verify({ provinceId: province, phone, purpose, code });
    return { verified: true };
  }
}
