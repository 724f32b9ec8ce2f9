import { parseProductCsv } from '#src/procurement/products/product-csv.js';

const HEADER = 'code,genericName,tradeName,dosageForm,specification,packaging,manufacturer,approvalNumber';

describe('parseProductCsv (JL-16 国家基础产品信息导入)', () => {
  it('reads every row, with a BOM, CRLF, quoted commas and empty optional fields', () => {
    const file = `\uFEFF${HEADER}\r\nP0001,阿莫西林胶囊,阿莫仙,胶囊剂,0.25g,"24粒/盒,铝塑",某制药有限公司,国药准字H20003263\r\nP0002,板蓝根颗粒,,颗粒剂,10g,,某药业,国药准字Z44021940\r\n`;
    const result = parseProductCsv(Buffer.from(file, 'utf8'));
    expect(result).toEqual({
      ok: true,
      entries: [
        { code: 'P0001', genericName: '阿莫西林胶囊', tradeName: '阿莫仙', dosageForm: '胶囊剂', specification: '0.25g', packaging: '24粒/盒,铝塑', manufacturer: '某制药有限公司', approvalNumber: '国药准字H20003263' },
        { code: 'P0002', genericName: '板蓝根颗粒', tradeName: '', dosageForm: '颗粒剂', specification: '10g', packaging: '', manufacturer: '某药业', approvalNumber: '国药准字Z44021940' },
      ],
    });
  });

  it('takes the columns in any order', () => {
    const result = parseProductCsv('approvalNumber,code,genericName,tradeName,dosageForm,specification,packaging,manufacturer\n国药准字H20003263,P1,甲,,片剂,5mg,,某厂\n');
    expect(result.ok && result.entries[0]).toMatchObject({ code: 'P1', approvalNumber: '国药准字H20003263', genericName: '甲' });
  });

  it('reports every problem by line and refuses the whole file', () => {
    const file = [HEADER, 'P1,甲,,片剂,5mg,,某厂,国药准字H20003263', 'P1,乙,,片剂,5mg,,某厂,国药准字H2000326', 'P3,,,片剂,5mg,,某厂,国药准字H20003264', 'P 4,丁,,片剂,5mg,某厂,国药准字H20003265'].join('\n');
    const result = parseProductCsv(file);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      expect.stringMatching(/^第 3 行：.*批准文号“国药准字H2000326”格式不对.*与第 2 行重复/),
      '第 4 行：通用名不能为空',
      expect.stringMatching(/^第 5 行：应有 8 列，实有 7 列/),
    ]);
  });

  it('refuses a wrong header, a file of only the header and bytes that are not UTF-8', () => {
    expect(parseProductCsv('code,name\n')).toMatchObject({ ok: false, errors: ['第 1 行：表头中有未知的列“name”', expect.stringContaining('表头缺少 genericName')] });
    expect(parseProductCsv(`${HEADER}\n`)).toEqual({ ok: false, errors: ['文件只有表头，没有产品'] });
    expect(parseProductCsv(new Uint8Array([0xb0, 0xa2, 0xc4, 0xaa]))).toMatchObject({ ok: false, errors: [expect.stringContaining('UTF-8')] });
  });
});
