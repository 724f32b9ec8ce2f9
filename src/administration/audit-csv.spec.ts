import { auditCsvHeader, auditCsvLine, csvCell } from '#src/administration/audit-csv.js';
import { messagesFor } from '#src/portal/i18n/messages.js';

const m = messagesFor('zh-CN');

describe('audit CSV', () => {
  it('quotes by RFC 4180 and keeps spreadsheets from running formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+86')).toBe("'+86");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
  });

  it('has the nine columns, and writes an event in Beijing time with Chinese labels', () => {
    expect(auditCsvHeader(m)).toBe('时间,事件,结果,账号类型,账号,单位,客户端地址,请求号,详情\r\n');
    const line = auditCsvLine(
      {
        id: '7',
        at: '2025-11-30T16:00:00.000Z',
        kind: 'operator.added',
        outcome: 'success',
        actorKind: 'unit',
        actorId: null,
        account: 'unit0001',
        unit: { id: 'u', name: '测试单位', uscc: '91220100MA0BULK001' },
        clientIp: '::1',
        requestId: 'r-1',
        detail: { operatorId: 'o', registered: false },
      },
      m,
    );
    expect(line).toBe('2025-12-01 00:00:00,新增经办人（代码 operator.added）,成功,单位账号,unit0001,测试单位（信用代码 91220100MA0BULK001）,::1,r-1,"{""operatorId"":""o"",""registered"":false}"\r\n');
  });
});
