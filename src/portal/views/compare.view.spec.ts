import { messagesFor } from '#src/portal/i18n/messages.js';
import { compareCsv, compareView, formatValue } from '#src/portal/views/compare.view.js';
import type { Comparison } from '#src/profiles/profile-compare.js';

const m = messagesFor('zh-CN');

const comparison: Comparison = {
  provinces: ['hunan', 'anhui'],
  rows: [
    { path: 'name', section: '基本信息', label: '名称', values: { hunan: '湖南省', anhui: '安徽省' }, same: false, inherited: { hunan: false, anhui: false }, sources: { hunan: [], anhui: [] } },
    {
      path: 'distributors.registersAt',
      section: '配送企业',
      label: '配送企业 › 注册位置',
      values: { hunan: 'procurement', anhui: 'hall' },
      same: false,
      inherited: { hunan: false, anhui: true },
      sources: { hunan: ['HN-10', 'HN-11'], anhui: [] },
    },
    { path: 'distributors.reviewRequired', section: '配送企业', label: '配送企业 › 须审核', values: { hunan: true, anhui: false }, same: false, inherited: { hunan: false, anhui: true }, sources: { hunan: ['HN-10'], anhui: [] } },
    { path: 'notes', section: '说明', label: '说明, "引号"', values: { hunan: '=HYPERLINK("x")', anhui: null }, same: false, inherited: { hunan: false, anhui: false }, sources: { hunan: [], anhui: [] } },
  ],
  documents: {
    hunan: [{ title: '湖南省招采子系统操作手册', version: 'V2.0', date: '2022-11-14', publisher: '厦门海西医药交易中心有限公司', rulePrefix: 'HN' }],
    anhui: [{ title: '安徽网上服务大厅用户注册登录使用手册', version: 'V2.0', publisher: '安徽省医疗保障局', rulePrefix: 'AH' }],
  },
};
const names = [
  { id: 'anhui', name: '安徽省' },
  { id: 'hunan', name: '湖南省' },
  { id: 'jilin', name: '吉林省' },
];

describe('compareView', () => {
  it('groups rows by section and shows origin and rule ids with the manual title', () => {
    const view = compareView(comparison, names, { ids: ['hunan', 'anhui'], onlyDiff: true }, m);
    expect(view.sections.map((s) => [s.name, s.rows.length])).toEqual([
      ['基本信息', 1],
      ['配送企业', 2],
      ['说明', 1],
    ]);
    const registersAt = view.sections[1]?.rows[0];
    expect(registersAt?.cells).toEqual([
      { value: 'procurement', inherited: false, origin: '本省', sources: [{ id: 'HN-10', title: '湖南省招采子系统操作手册 V2.0 2022-11-14' }, { id: 'HN-11', title: '湖南省招采子系统操作手册 V2.0 2022-11-14' }] },
      { value: 'hall', inherited: true, origin: '继承', sources: [] },
    ]);
    expect(view.choices).toEqual([
      { id: 'anhui', name: '安徽省', checked: true },
      { id: 'hunan', name: '湖南省', checked: true },
      { id: 'jilin', name: '吉林省', checked: false },
    ]);
    expect(view.csvHref).toBe('/compare.csv?provinces=hunan%2Canhui&only=diff');
  });

  it('shows booleans as 是/否, lists joined, absence as a dash', () => {
    expect([formatValue(true, m), formatValue(false, m), formatValue(['a', 'b'], m), formatValue([], m), formatValue(null, m)]).toEqual(['是', '否', 'a、b', '（空）', '—']);
    expect(formatValue([{ value: 'resident-id', label: '居民身份证' }], m)).toBe('居民身份证（resident-id）');
    expect(formatValue([{ windowSeconds: 60, max: 1 }], m)).toBe('windowSeconds：60，max：1');
  });
});

describe('compareCsv', () => {
  it('starts with a UTF-8 BOM, names each province column in Chinese, quotes and defuses formulas', () => {
    const csv = compareCsv(comparison, names, m);
    expect(csv.startsWith('\uFEFF分组,项目,路径,各省相同,湖南省,湖南省 来源,湖南省 依据,安徽省,安徽省 来源,安徽省 依据\r\n')).toBe(true);
    expect(csv).toContain('配送企业,配送企业 › 注册位置,distributors.registersAt,否,procurement,本省,HN-10 HN-11,hall,继承,\r\n');
    expect(csv).toContain(`说明,"说明, ""引号""",notes,否,"'=HYPERLINK(""x"")",本省,,—,本省,\r\n`);
  });
});
