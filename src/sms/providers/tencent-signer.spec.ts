import { tc3Sign } from '#src/sms/providers/tencent-signer.js';

describe('Tencent Cloud TC3-HMAC-SHA256', () => {
  it("matches the API 3.0 signature documentation's CVM DescribeInstances example", () => {
    // The documented example: keys as printed in the documentation (masked with asterisks), timestamp 1551113065.
    const signed = tc3Sign({
      secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******',
      secretKey: 'Gu5t9xGARNpq86cd98joQYCN3*******',
      service: 'cvm',
      host: 'cvm.tencentcloudapi.com',
      contentType: 'application/json; charset=utf-8',
      payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
      timestamp: 1551113065,
    });
    expect(signed.canonicalRequest).toBe(
      'POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064',
    );
    expect(signed.stringToSign).toBe('TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031');
    expect(signed.signature).toBe('2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c');
    expect(signed.authorization).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c',
    );
  });

  it('takes the credential date from the UTC day of the timestamp', () => {
    // 2019-02-26 00:44:25 in Beijing is still 2019-02-25 in UTC.
    const signed = tc3Sign({ secretId: 'id', secretKey: 'key', service: 'sms', host: 'sms.tencentcloudapi.com', contentType: 'application/json', payload: '{}', timestamp: 1551113065 });
    expect(signed.authorization).toContain('/2019-02-25/sms/tc3_request');
  });
});
