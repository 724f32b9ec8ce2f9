import { readFileSync } from 'node:fs';
import { isValidUscc } from '#src/identity/checks/uscc.js';
import { parseRegistryCsv, readCsvRecords, registryCsvContext, REGISTRY_CSV_COLUMNS, usccProblem } from '#src/national-registry/registry-csv.js';
import { demoUscc } from '#src/national-registry/registry-demo-data.js';

const ROLE_TYPES = [{ id: 'manufacturer' }, { id: 'distributor' }, { id: 'medical-institution' }, { id: 'pharmacy' }];
const context = registryCsvContext([
  { id: 'xizang', code: '540000', roleTypes: ROLE_TYPES.slice(0, 3) },
  { id: 'neimenggu', code: '150000', roleTypes: ROLE_TYPES },
  { id: 'jilin', code: '220000', roleTypes: ROLE_TYPES },
  { id: 'hunan', code: '430000', roleTypes: ROLE_TYPES },
  { id: 'anhui', code: '340000', roleTypes: ROLE_TYPES },
]);

const HEADER = REGISTRY_CSV_COLUMNS.join(',');
const A = demoUscc('91', '220100', 'DM228001');
const B = demoUscc('12', '340100', 'DM348002');
const C = demoUscc('91', '430100', 'DM438003');
/** A with its check character changed: 18 characters from the alphabet, wrong by GB 32100. */
const A_WRONG = A.slice(0, 17) + (A.endsWith('1') ? '2' : '1');

const csv = (...lines: string[]) => [HEADER, ...lines].join('\n') + '\n';

describe('parseRegistryCsv', () => {
  it('reads the shipped example: roles split on |, rows of one credit code gather its institutions, a province by its code', () => {
    const result = parseRegistryCsv(readFileSync('test/fixtures/registry-example.csv'), context);
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(result.entries).toHaveLength(5);
    expect(result.institutions).toBe(3);
    expect(result.entries.every((e) => isValidUscc(e.uscc))).toBe(true);
    expect(result.entries[0]).toMatchObject({ name: '吉林省示例医药集团有限公司', provinceId: 'jilin', roleTypes: ['manufacturer', 'distributor'], institutions: [] });
    expect(result.entries[1]?.institutions).toEqual([
      { code: 'H22010200011', name: '长春市示例妇幼保健院', kind: 'main' },
      { code: 'H22010600012', name: '长春市示例妇幼保健院南部院区', kind: 'branch' },
    ]);
    expect(result.entries[1]?.note).toBe('总院与分院共用一个信用代码：同一 uscc 写两行，每行一家医疗机构');
    expect(result.entries[2]).toMatchObject({ name: '湖南示例医药有限公司（原“湘示例药业, 有限公司”）', provinceId: 'hunan' });
    expect(result.entries[2]?.note).toBe('名称含逗号，整个字段用双引号括起；字段里的 "英文引号" 写成两个');
    expect(result.entries[4]).not.toHaveProperty('note');
  });

  it('strips a UTF-8 BOM (Excel "CSV UTF-8"), from bytes and from a string', () => {
    const text = csv(`${A},吉林省示例制药有限公司,jilin,manufacturer,,,`);
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    expect(parseRegistryCsv(bytes, context)).toMatchObject({ ok: true, entries: [{ uscc: A }] });
    expect(parseRegistryCsv(`\uFEFF${text}`, context)).toMatchObject({ ok: true, entries: [{ uscc: A }] });
  });

  it('refuses bytes that are not UTF-8 (a GBK export) with a hint', () => {
    const gbk = Buffer.concat([Buffer.from(`${HEADER}\n${A},`), Buffer.from([0xbc, 0xaa, 0xc1, 0xd6]), Buffer.from(',jilin,manufacturer,,,\n')]);
    expect(parseRegistryCsv(gbk, context)).toEqual({ ok: false, errors: [expect.stringContaining('不是有效的 UTF-8 编码') as unknown] });
  });

  it('RFC 4180: CRLF, quoted commas, doubled quotes and line breaks inside quotes; line numbers count physical lines', () => {
    const text = [HEADER, `${A},"示例, ""制药"" 有限公司",jilin,manufacturer,,,`, `${B},"合肥市示例`, `医院",anhui,medical-institution,H34010300001,合肥市示例医院,main`, `${C},X,hunan,bogus,,,`].join('\r\n');
    expect(parseRegistryCsv(text, context)).toEqual({ ok: false, errors: ['第 5 行：未知的角色类型“bogus”（可用：manufacturer、distributor、medical-institution、pharmacy，多个用 | 分隔）'] });
    const fixed = parseRegistryCsv(text.replace('bogus', 'pharmacy'), context);
    if (!fixed.ok) throw new Error(fixed.errors.join('\n'));
    expect(fixed.entries.map((e) => e.name)).toEqual(['示例, "制药" 有限公司', '合肥市示例\n医院', 'X']);
  });

  it('names every kind of error by its line, all at once, and imports nothing', () => {
    const result = parseRegistryCsv(
      csv(
        `${A},吉林省示例制药有限公司,jilin,manufacturer,,,`,
        `${A_WRONG},错误校验位有限公司,jilin,manufacturer,,,`,
        `${B},合肥市示例医院,atlantis,medical-institution,,,`,
        `${C},湖南示例公司,hunan,manufacturer|wholesaler,,,`,
        `${B},合肥市示例医院,anhui,medical-institution,H34010300001,合肥市示例医院,annex`,
        `${C},,hunan,,,,`,
        `${A},吉林省另一个名字有限公司,jilin,manufacturer,,,`,
      ),
      context,
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        `第 3 行：统一社会信用代码“${A_WRONG}”校验位错误：按 GB 32100-2015 第 18 位应为“${A.charAt(17)}”`,
        '第 4 行：未知的省份“atlantis”（可用：xizang、neimenggu、jilin、hunan、anhui）',
        '第 5 行：未知的角色类型“wholesaler”（可用：manufacturer、distributor、medical-institution、pharmacy，多个用 | 分隔）',
        '第 6 行：未知的医疗机构类别“annex”（可用：general（普通）、main（总院）、branch（分院）、military（军队）、veterans（荣军）、prison（监狱））',
        '第 7 行：缺少单位名称（name）',
        '第 7 行：缺少角色类型（roleTypes）',
        `第 8 行：信用代码 ${A} 的单位名称“吉林省另一个名字有限公司”与第 2 行的“吉林省示例制药有限公司”不一致`,
      ],
    });
  });

  it('is all or nothing: one bad line among good ones refuses the file', () => {
    const result = parseRegistryCsv(csv(`${A},吉林省示例制药有限公司,jilin,manufacturer,,,`, `${B},合肥市示例医院,anhui,medical-institution,H3401030001,合肥市示例医院,main`, `${C},湖南示例公司,hunan,manufacturer,,,`), context);
    expect(result).toEqual({ ok: false, errors: ['第 3 行：医疗机构代码“H3401030001”格式有误：应为 H 加 11 位数字（例如 H22010400001）'] });
    expect(result).not.toHaveProperty('entries');
  });

  it('explains a credit code of the wrong length or with a letter GB 32100 does not use', () => {
    expect(usccProblem('91220100DM2280')).toBe('统一社会信用代码“91220100DM2280”应为 18 位，实为 14 位');
    expect(usccProblem(`${A.slice(0, 10)}O${A.slice(11)}`)).toMatch(/含有不允许的字符“O”（只用数字和大写字母，不用 I、O、Z、S、V）$/);
    expect(usccProblem(A)).toBeUndefined();
  });

  it('takes a lower-case credit code and institution code as the upper-case ones', () => {
    const result = parseRegistryCsv(csv(`${B.toLowerCase()},合肥市示例医院,anhui,medical-institution,h34010300001,合肥市示例医院,main`), context);
    expect(result).toMatchObject({ ok: true, entries: [{ uscc: B, institutions: [{ code: 'H34010300001' }] }] });
  });

  it('checks the header: a missing column, an unknown one, a repeated one; note is optional', () => {
    const missing = parseRegistryCsv('uscc,name,province,roleTypes,institutionCode,institutionName\n', context);
    expect(missing).toEqual({ ok: false, errors: ['第 1 行：表头缺少列“institutionKind”（医疗机构类别）'] });
    const unknown = parseRegistryCsv(`${HEADER},remark,name\n`, context);
    expect(unknown).toEqual({
      ok: false,
      errors: [`第 1 行：未知的列“remark”（表头应为 ${HEADER}，可加 note 列）`, '第 1 行：列“name”出现了两次'],
    });
    // Columns may come in any order.
    const reordered = parseRegistryCsv(`note,name,uscc,province,roleTypes,institutionCode,institutionName,institutionKind\n备注,吉林省示例制药有限公司,${A},220000,manufacturer,,,\n`, context);
    expect(reordered).toMatchObject({ ok: true, entries: [{ uscc: A, provinceId: 'jilin', note: '备注' }] });
  });

  it('refuses an empty file and a header without rows', () => {
    expect(parseRegistryCsv('', context)).toEqual({ ok: false, errors: [`文件为空：第 1 行应为表头 ${HEADER}`] });
    expect(parseRegistryCsv(`${HEADER}\n\n`, context)).toEqual({ ok: false, errors: ['文件只有表头，没有数据行'] });
  });

  it('refuses a row with too many fields, an unclosed quote and a stray quote, by line', () => {
    const result = parseRegistryCsv(
      csv(`${A},吉林省示例制药,有限公司,jilin,manufacturer,,,`, `${B},合肥市"示例"医院,anhui,medical-institution,,,`, `${C},"湖南示例公司"x,hunan,manufacturer,,,`, `${C},"湖南示例公司,hunan,manufacturer,,,`),
      context,
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        '第 2 行：有 8 列，表头有 7 列（含逗号的值须用双引号括起）',
        '第 3 行：含引号的字段须整个用引号括起，字段内的引号写成两个引号 ""',
        '第 4 行：引号结束后、逗号之前不能再有字符（“x”）；字段内的引号要写成两个引号 ""',
        '第 5 行：引号没有闭合',
      ],
    });
  });

  it('refuses institution rows that do not add up: partial columns, a repeated code, a non-medical entry, conflicting province or roles', () => {
    const result = parseRegistryCsv(
      csv(
        `${B},合肥市示例医院,anhui,medical-institution,H34010300001,合肥市示例医院,main`,
        `${B},合肥市示例医院,anhui,medical-institution,H34010300001,合肥市示例医院分院,branch`,
        `${B},合肥市示例医院,anhui,medical-institution,H34010300002,,`,
        `${A},吉林省示例大药房,jilin,pharmacy,H22010400001,吉林省示例大药房,general`,
        `${B},合肥市示例医院,jilin,medical-institution|pharmacy,,,`,
      ),
      context,
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        '第 3 行：医疗机构代码 H34010300001 已在第 2 行出现',
        '第 4 行：缺少医疗机构名称（institutionName）',
        '第 4 行：缺少医疗机构类别（institutionKind）',
        '第 5 行：列出了医疗机构，但角色类型不含 medical-institution',
        `第 6 行：信用代码 ${B} 的省份“jilin”与第 2 行的“anhui”不一致`,
        `第 6 行：信用代码 ${B} 的角色类型“medical-institution|pharmacy”与第 2 行的“medical-institution”不一致`,
      ],
    });
  });
});

describe('readCsvRecords', () => {
  it('keeps empty fields, skips blank lines, reads a last line without a line break', () => {
    const { records, errors } = readCsvRecords('a,,c\n\n"",x\r\n"q""",\n,\nlast');
    expect(errors).toEqual([]);
    expect(records.map((r) => [r.line, r.fields])).toEqual([
      [1, ['a', '', 'c']],
      [3, ['', 'x']],
      [4, ['q"', '']],
      [5, ['', '']],
      [6, ['last']],
    ]);
  });
});
