import { ManualClock } from '#src/clock/clock.js';
import { SmsProviderError, type SmsToSend } from '#src/sms/providers/sms-provider.js';
import { TencentSmsProvider } from '#src/sms/providers/tencent-sms.provider.js';
import { fakeTencent, type FakeProvider } from '#test/support/fake-sms-servers.js';

let server: FakeProvider;
let provider: TencentSmsProvider;

const sms = (phone: string): SmsToSend => ({
  messageId: '6f1c1a8e-0000-4000-8000-000000000002',
  provinceId: 'anhui',
  phone,
  purpose: 'add-operator',
  signName: '安徽医保',
  text: '【安徽医保】验证码 654321',
  params: { code: '654321', minutes: '5' },
});

async function failure(phone: string): Promise<SmsProviderError> {
  const error: unknown = await provider.send(sms(phone)).then(() => undefined, (e: unknown) => e);
  if (!(error instanceof SmsProviderError)) throw new Error(`expected SmsProviderError, got ${String(error)}`);
  return error;
}

beforeAll(async () => {
  server = await fakeTencent('AKID-test', 'tencent-test-key');
  provider = new TencentSmsProvider(
    { secretId: 'AKID-test', secretKey: 'tencent-test-key', sdkAppId: '1400000001', region: 'ap-guangzhou', endpoint: server.url, templateIds: { 'add-operator': '2001' }, timeoutMs: 300 },
    new ManualClock(new Date('2025-03-01T08:00:00Z')),
  );
});

afterAll(async () => {
  await server.close();
});

describe('TencentSmsProvider against a local stand-in for the SMS API', () => {
  it('sends a TC3-signed SendSms the server accepts, in E.164 with positional params', async () => {
    await expect(provider.send(sms('13900000000'))).resolves.toEqual({ providerMessageId: '5000:1' });
    expect(server.received[0]).toEqual({
      PhoneNumberSet: ['+8613900000000'],
      SmsSdkAppId: '1400000001',
      SignName: '安徽医保',
      TemplateId: '2001',
      TemplateParamSet: ['654321', '5'],
      SessionContext: '6f1c1a8e-0000-4000-8000-000000000002',
      region: 'ap-guangzhou',
    });
  });

  it("does not retry the number's flow control, retries Tencent's internal errors, gateways and timeouts", async () => {
    await expect(failure('13900000001')).resolves.toMatchObject({ code: 'LimitExceeded.PhoneNumberThirtySecondLimit', retryable: false });
    await expect(failure('13900000002')).resolves.toMatchObject({ code: 'InternalError.Timeout', retryable: true });
    await expect(failure('13900000003')).resolves.toMatchObject({ code: 'HTTP_502', retryable: true });
    await expect(failure('13900000004')).resolves.toMatchObject({ code: 'TIMEOUT', retryable: true });
  });

  it('does not retry a signature the server refuses', async () => {
    const wrongKey = new TencentSmsProvider(
      { secretId: 'AKID-test', secretKey: 'wrong', sdkAppId: '1400000001', region: 'ap-guangzhou', endpoint: server.url, templateIds: { 'add-operator': '2001' } },
      new ManualClock(),
    );
    await expect(wrongKey.send(sms('13900000000'))).rejects.toMatchObject({ code: 'AuthFailure.SignatureFailure', retryable: false });
  });
});
