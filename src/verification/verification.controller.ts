import { Body, Controller, Get, Header, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '#src/authz/public.decorator.js';
import { ProfileRegistry } from '#src/profiles/profile-registry.service.js';
import { SMS_PURPOSES } from '#src/profiles/profile.schema.js';
import { CaptchaService, type IssuedCaptcha } from '#src/verification/captcha.service.js';
import { SmsCodeService, type SmsCodeIssued } from '#src/verification/sms-code.service.js';
import { verificationException, VerificationErrorCode } from '#src/verification/verification.exception.js';

const SMS_CODE_BODY = {
  type: 'object',
  required: ['phone', 'purpose', 'captchaId', 'captcha'],
  properties: {
    phone: { type: 'string', title: '手机号', format: 'cn-mobile', example: '13800138000' },
    purpose: { type: 'string', title: '用途', enum: [...SMS_PURPOSES] },
    captchaId: { type: 'string', title: '图形验证码编号', format: 'uuid' },
    captcha: { type: 'string', title: '图形验证码', example: 'AB3K' },
  },
};

/** Before login, so public: the captcha gates the SMS, the limits gate the captcha's solver. */
@ApiTags('验证码')
@Controller('api/v1/provinces/:id')
export class VerificationController {
  constructor(
    @Inject(ProfileRegistry) private readonly registry: ProfileRegistry,
    @Inject(CaptchaService) private readonly captchas: CaptchaService,
    @Inject(SmsCodeService) private readonly codes: SmsCodeService,
  ) {}

  @Public()
  @Get('captcha')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '获取图形验证码：{captchaId, svg}，2 分钟内有效，只能校验一次，不区分大小写' })
  captcha(@Param('id') id: string): Promise<IssuedCaptcha> {
    return this.captchas.issue(this.registry.require(id).profile.id);
  }

  @Public()
  @Post('sms-codes')
  @HttpCode(202)
  @ApiOperation({ summary: '发送短信验证码（先校验图形验证码）：202 {resendAfterSeconds}；过于频繁时 429 并带 Retry-After' })
  @ApiBody({ schema: SMS_CODE_BODY })
  @ApiResponse({ status: 202, description: '已受理，短信排队发送' })
  @ApiResponse({ status: 429, description: '发送过于频繁（Retry-After 为需等待的秒数）' })
  requestCode(@Param('id') id: string, @Body() body: unknown, @Req() request: FastifyRequest): Promise<SmsCodeIssued> {
    const { phone, purpose, captchaId, captcha } = readBody(body);
    return this.codes.request({ province: id, phone, purpose, captchaId, captcha, ip: request.ip });
  }
}

function readBody(body: unknown): { phone: string; purpose: string; captchaId: string; captcha: string } {
  const value = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const labels = { phone: '请填写手机号', purpose: '请指明用途', captchaId: '请先获取图形验证码', captcha: '请填写图形验证码' } as const;
  const fields: Record<string, string> = {};
  for (const [name, message] of Object.entries(labels)) {
    const field = value[name];
    if (typeof field !== 'string' || field.trim() === '') fields[name] = message;
  }
  if (Object.keys(fields).length > 0) throw verificationException(VerificationErrorCode.REQUEST_INVALID, undefined, fields);
  const text = (name: keyof typeof labels) => String(value[name]).trim();
  return { phone: text('phone'), purpose: text('purpose'), captchaId: text('captchaId'), captcha: text('captcha') };
}
