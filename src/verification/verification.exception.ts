import { exceptionFactory, type ErrorTable } from '#src/errors/app-exception.js';

export enum VerificationErrorCode {
  REQUEST_INVALID = 'VERIFICATION_REQUEST_INVALID',
  PHONE_INVALID = 'PHONE_INVALID',
  SMS_PURPOSE_NOT_AVAILABLE = 'SMS_PURPOSE_NOT_AVAILABLE',
  CAPTCHA_WRONG = 'CAPTCHA_WRONG',
  CAPTCHA_EXPIRED = 'CAPTCHA_EXPIRED',
  SMS_PHONE_LIMITED = 'SMS_PHONE_LIMITED',
  SMS_IP_LIMITED = 'SMS_IP_LIMITED',
  SMS_QUEUE_UNAVAILABLE = 'SMS_QUEUE_UNAVAILABLE',
  SMS_CODE_WRONG = 'SMS_CODE_WRONG',
  SMS_CODE_EXPIRED = 'SMS_CODE_EXPIRED',
  SMS_CODE_LOCKED = 'SMS_CODE_LOCKED',
}

const TABLE: ErrorTable<VerificationErrorCode> = {
  [VerificationErrorCode.REQUEST_INVALID]: { status: 400, message: '请求内容不完整或格式有误' },
  [VerificationErrorCode.PHONE_INVALID]: { status: 400, message: '手机号格式不正确，请输入 11 位中国大陆手机号' },
  [VerificationErrorCode.SMS_PURPOSE_NOT_AVAILABLE]: { status: 400, message: '本省未开通该用途的短信验证码' },
  [VerificationErrorCode.CAPTCHA_WRONG]: { status: 400, message: '图形验证码错误，请重新获取后再试' },
  [VerificationErrorCode.CAPTCHA_EXPIRED]: { status: 400, message: '图形验证码已过期或已使用，请重新获取' },
  [VerificationErrorCode.SMS_PHONE_LIMITED]: { status: 429, message: '该手机号获取验证码过于频繁，请稍后再试' },
  [VerificationErrorCode.SMS_IP_LIMITED]: { status: 429, message: '当前网络获取验证码过于频繁，请稍后再试' },
  [VerificationErrorCode.SMS_QUEUE_UNAVAILABLE]: { status: 503, message: '短信服务暂时不可用，请稍后再试' },
  [VerificationErrorCode.SMS_CODE_WRONG]: { status: 400, message: '短信验证码错误' },
  [VerificationErrorCode.SMS_CODE_EXPIRED]: { status: 400, message: '短信验证码已过期或已使用，请重新获取' },
  [VerificationErrorCode.SMS_CODE_LOCKED]: { status: 400, message: '短信验证码错误次数过多，已失效，请重新获取' },
};

export const verificationException = exceptionFactory(TABLE);
