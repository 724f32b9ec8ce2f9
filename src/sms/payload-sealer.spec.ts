import { PayloadSealer } from '#src/sms/payload-sealer.js';

const payload = { text: '【湖南医保】验证码 123456', params: { code: '123456', minutes: '5' } };

describe('PayloadSealer', () => {
  const sealer = new PayloadSealer('a-server-secret-of-at-least-32-chars!');

  it('round-trips, and the sealed bytes hold no plaintext', () => {
    const sealed = sealer.seal('m1', payload);
    expect(sealed.toString('latin1')).not.toContain('123456');
    expect(sealer.open('m1', sealed)).toEqual(payload);
  });

  it('does not open under another message id, another secret, or after tampering', () => {
    const sealed = sealer.seal('m1', payload);
    expect(() => sealer.open('m2', sealed)).toThrow();
    expect(() => new PayloadSealer('another-server-secret-of-32-chars!!').open('m1', sealed)).toThrow();
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    expect(() => sealer.open('m1', tampered)).toThrow();
  });
});
