import { ManualClock } from '#src/clock/clock.js';
import { AliyunSmsProvider } from '#src/sms/providers/aliyun-sms.provider.js';
import { SmsProviderError, type SmsToSend } from '#src/sms/providers/sms-provider.js';
import { fakeAliyun, type FakeProvider } from '#test/support/fake-sms-servers.js';

const SECRET = 'aliyun-test-secret';
let server: FakeProvider;
let provider: AliyunSmsProvider;

const sms = (phone: string): SmsToSend => ({
  messageId: '6f1c1a8e-0000-4000-8000-000000000001',
  provinceId: 'hunan',
  phone,
  purpose: 'registration',
  signName: '湖南医保',
  text: '【湖南医保】验证码 123456',
  params: { code: '123456', minutes: '5' },
});

async function failure(phone: string): Promise<SmsProviderError> {
  const error: unknown = await provider.send(sms(phone)).then(() => undefined, (e: unknown) => e);
  if (!(error instanceof SmsProviderError)) throw new Error(`expected SmsProviderError, got ${String(error)}`);
  return error;
}

beforeAll(async () => {
  server = await fakeAliyun(SECRET);
  provider = new AliyunSmsProvider(
    { accessKeyId: 'LTAI-test', accessKeySecret: SECRET, endpoint: server.url, templateIds: { registration: 'SMS_100' }, timeoutMs: 300 },
    new ManualClock(new Date('2025-03-01T08:00:00.456Z')),
  );
});

afterAll(async () => {
  await server.close();
});

describe('AliyunSmsProvider against a local stand-in for Dysmsapi', () => {
  it('sends a signed SendSms the server accepts, with sign name, template, params and our message id', async () => {
    await expect(provider.send(sms('13900000000'))).resolves.toEqual({ providerMessageId: 'biz-1' });
    expect(server.received[0]).toMatchObject({
      Action: 'SendSms',
      Version: '2017-05-25',
      Format: 'JSON',
      AccessKeyId: 'LTAI-test',
      PhoneNumbers: '13900000000',
      SignName: '湖南医保',
      TemplateCode: 'SMS_100',
      TemplateParam: '{"code":"123456","minutes":"5"}',
      OutId: '6f1c1a8e-0000-4000-8000-000000000001',
      Timestamp: '2025-03-01T08:00:00Z',
      SignatureMethod: 'HMAC-SHA1',
    });
  });

  it('treats isv.BUSINESS_LIMIT_CONTROL as final: retrying inside the backoff only meets the same flow control', async () => {
    const error = await failure('13900000001');
    expect(error).toMatchObject({ code: 'isv.BUSINESS_LIMIT_CONTROL', retryable: false });
    expect(error.message).toContain('触发号码天级流控');
  });

  it('retries an Aliyun-side error, a gateway page and a timeout', async () => {
    await expect(failure('13900000002')).resolves.toMatchObject({ code: 'isp.SYSTEM_ERROR', retryable: true });
    await expect(failure('13900000003')).resolves.toMatchObject({ code: 'HTTP_502', retryable: true });
    await expect(failure('13900000004')).resolves.toMatchObject({ code: 'TIMEOUT', retryable: true });
  });

  it('does not retry a bad number, a bad signature, or a purpose without a template', async () => {
    await expect(failure('13900000005')).resolves.toMatchObject({ code: 'isv.MOBILE_NUMBER_ILLEGAL', retryable: false });
    const wrongKey = new AliyunSmsProvider({ accessKeyId: 'LTAI-test', accessKeySecret: 'wrong', endpoint: server.url, templateIds: { registration: 'SMS_100' } }, new ManualClock());
    await expect(wrongKey.send(sms('13900000000'))).rejects.toMatchObject({ code: 'SignatureDoesNotMatch', retryable: false });
    await expect(provider.send({ ...sms('13900000000'), purpose: 'login' })).rejects.toMatchObject({ code: 'TEMPLATE_NOT_CONFIGURED', retryable: false });
  });

  it('fails as retryable when nothing listens', async () => {
    const nowhere = new AliyunSmsProvider({ accessKeyId: 'a', accessKeySecret: 'b', endpoint: 'http://127.0.0.1:9/', templateIds: { registration: 'SMS_1' } }, new ManualClock());
    await expect(nowhere.send(sms('13900000000'))).rejects.toMatchObject({ code: 'NETWORK', retryable: true });
  });
});
