/**
 * The demo national registry: a few made-up units per province, enough for a newcomer to walk every
 * journey of RULES.md on `npm start` (and for the e2e tests to drive it). The migration
 * 1764316800000-national-registry inserts exactly these rows (source 'demo'); nothing else keeps a
 * copy. Names are invented (示例…), not real companies or hospitals.
 *
 * Credit codes follow GB 32100-2015: registration authority + kind (91 enterprise, 12 public
 * institution, 11 government body, 52 private non-enterprise unit, A1 military institution), the
 * GB/T 2260 region of the registering authority inside the province, a GB 11714 organisation code
 * (its own check character included; bodies start with DM for "demo") and the check character.
 */
import { USCC_ALPHABET, usccCheckCharacter } from '#src/identity/checks/uscc.js';
import type { RegistryEntry, RegistryInstitution } from '#src/national-registry/national-registry.port.js';

const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/** GB 11714 check character of an 8-character organisation code body: digits, then A=10 … Z=35. */
function organisationCodeCheck(body: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number.parseInt(body.charAt(i), 36) * (ORG_WEIGHTS[i] ?? 0);
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

/** A valid credit code; throws (at module load, so a typo fails every test) on a malformed part. */
export function demoUscc(authorityAndKind: string, region: string, body: string): string {
  if (!/^[0-9A-Y]{2}$/.test(authorityAndKind) || !/^\d{6}$/.test(region) || body.length !== 8 || [...body].some((c) => !USCC_ALPHABET.includes(c))) {
    throw new Error(`demoUscc: bad parts ${authorityAndKind} ${region} ${body}`);
  }
  const first17 = `${authorityAndKind}${region}${body}${organisationCodeCheck(body)}`;
  const check = usccCheckCharacter(first17);
  if (!check) throw new Error(`demoUscc: ${first17} is outside the GB 32100 alphabet`);
  return first17 + check;
}

const institution = (code: string, name: string, kind: RegistryInstitution['kind'] = 'general'): RegistryInstitution => ({ code, name, kind });

export const REGISTRY_DEMO_ENTRIES: readonly RegistryEntry[] = [
  // 西藏 540000 — XZ-2 offers 生产/代理企业, 医院, 配送企业 (no pharmacies).
  {
    uscc: demoUscc('91', '540100', 'DM540001'),
    name: '西藏示例藏药制药有限公司',
    provinceId: 'xizang',
    roleTypes: ['manufacturer'],
    institutions: [],
    note: '生产/代理企业（XZ-2）',
  },
  {
    uscc: demoUscc('91', '540100', 'DM540002'),
    name: '西藏示例医药配送有限公司',
    provinceId: 'xizang',
    roleTypes: ['distributor'],
    institutions: [],
    note: '配送企业（XZ-2）',
  },
  {
    uscc: demoUscc('91', '540200', 'DM540003'),
    name: '日喀则示例医药有限公司',
    provinceId: 'xizang',
    roleTypes: ['manufacturer', 'distributor'],
    institutions: [],
    note: '一个信用代码同时支持生产/代理与配送两种角色（XZ-6 逐个认证）',
  },
  {
    uscc: demoUscc('12', '540100', 'DM540004'),
    name: '拉萨市示例人民医院',
    provinceId: 'xizang',
    roleTypes: ['medical-institution'],
    institutions: [institution('H54010200001', '拉萨市示例人民医院')],
    note: '公立医院（事业单位 12 开头），西藏称“医院”（XZ-2）',
  },
  {
    uscc: demoUscc('91', '540102', 'DM540005'),
    name: '拉萨示例大药房连锁有限公司',
    provinceId: 'xizang',
    roleTypes: ['pharmacy'],
    institutions: [],
    note: '药店：国家编码库有此单位，但西藏未开放药店角色（XZ-2）',
  },

  // 内蒙古 150000
  {
    uscc: demoUscc('91', '150100', 'DM150001'),
    name: '内蒙古示例蒙药股份有限公司',
    provinceId: 'neimenggu',
    roleTypes: ['manufacturer'],
    institutions: [],
    note: '生产企业（NM-6）',
  },
  {
    uscc: demoUscc('91', '150200', 'DM150002'),
    name: '包头示例医药物流有限公司',
    provinceId: 'neimenggu',
    roleTypes: ['distributor'],
    institutions: [],
    note: '配送企业（NM-6）',
  },
  {
    uscc: demoUscc('12', '150100', 'DM150003'),
    name: '呼和浩特市示例医疗集团',
    provinceId: 'neimenggu',
    roleTypes: ['medical-institution'],
    institutions: [
      institution('H15010200001', '呼和浩特市示例医疗集团第一医院'),
      institution('H15010300002', '呼和浩特市示例医疗集团第二医院'),
      institution('H15010500003', '呼和浩特市示例医疗集团赛罕社区卫生服务中心'),
    ],
    note: '一个信用代码对应多家医疗机构：经办人首次登录须选择其一，选定后不可更改（NM-5）',
  },
  {
    uscc: demoUscc('12', '150600', 'DM150004'),
    name: '鄂尔多斯市示例中心医院',
    provinceId: 'neimenggu',
    roleTypes: ['medical-institution'],
    institutions: [institution('H15060200004', '鄂尔多斯市示例中心医院')],
    note: '一个信用代码只对应一家医疗机构：无需选择（对照 NM-5）',
  },
  {
    uscc: demoUscc('91', '150400', 'DM150005'),
    name: '赤峰示例大药房有限公司',
    provinceId: 'neimenggu',
    roleTypes: ['pharmacy'],
    institutions: [],
    note: '药店（N-3）',
  },

  // 吉林 220000
  {
    uscc: demoUscc('91', '220100', 'DM220001'),
    name: '吉林省示例制药有限公司',
    provinceId: 'jilin',
    roleTypes: ['manufacturer'],
    institutions: [],
    note: '生产(代理)企业，可做挂网产品对码（JL-16）',
  },
  {
    uscc: demoUscc('91', '220104', 'DM220002'),
    name: '长春示例医药配送有限公司',
    provinceId: 'jilin',
    roleTypes: ['distributor'],
    institutions: [],
    note: '配送(经营)企业（N-3）',
  },
  {
    uscc: demoUscc('12', '220100', 'DM220003'),
    name: '长春市示例人民医院',
    provinceId: 'jilin',
    roleTypes: ['medical-institution'],
    institutions: [institution('H22010400001', '长春市示例人民医院')],
    note: '公立医院（事业单位 12 开头）（N-3）',
  },
  {
    uscc: demoUscc('52', '220200', 'DM220004'),
    name: '吉林市示例康复医院',
    provinceId: 'jilin',
    roleTypes: ['medical-institution'],
    institutions: [institution('H22020200002', '吉林市示例康复医院')],
    note: '民营非营利医院（民办非企业单位 52 开头）（N-3）',
  },
  {
    uscc: demoUscc('91', '220100', 'DM220005'),
    name: '吉林省示例大药房连锁有限公司',
    provinceId: 'jilin',
    roleTypes: ['pharmacy'],
    institutions: [],
    note: '药店（N-3）',
  },

  // 湖南 430000
  {
    uscc: demoUscc('91', '430100', 'DM430001'),
    name: '湖南示例生物制药有限公司',
    provinceId: 'hunan',
    roleTypes: ['manufacturer'],
    institutions: [],
    note: '生产/代理企业，认证时选择“生产/代理”（HN-7）',
  },
  {
    uscc: demoUscc('91', '430104', 'DM430002'),
    name: '湖南示例医药物流有限公司',
    provinceId: 'hunan',
    roleTypes: ['distributor'],
    institutions: [],
    note: '配送企业：在招采系统注册并等待审核（HN-10）',
  },
  {
    uscc: demoUscc('12', '430100', 'DM430003'),
    name: '长沙市示例中心医院',
    provinceId: 'hunan',
    roleTypes: ['medical-institution'],
    institutions: [institution('H43010200001', '长沙市示例中心医院')],
    note: '医疗机构：须用主账号认证（HN-7、HN-9）',
  },
  {
    uscc: demoUscc('91', '430105', 'DM430004'),
    name: '湖南示例大药房连锁有限公司',
    provinceId: 'hunan',
    roleTypes: ['pharmacy'],
    institutions: [],
    note: '药店，认证时选择“协议药店”（HN-7）',
  },

  // 安徽 340000
  {
    uscc: demoUscc('91', '340100', 'DM340001'),
    name: '安徽示例药业有限公司',
    provinceId: 'anhui',
    roleTypes: ['manufacturer'],
    institutions: [],
    note: '生产企业（N-3）',
  },
  {
    uscc: demoUscc('91', '340200', 'DM340002'),
    name: '芜湖示例医药物流有限公司',
    provinceId: 'anhui',
    roleTypes: ['distributor'],
    institutions: [],
    note: '配送企业（N-3）',
  },
  {
    uscc: demoUscc('12', '340100', 'DM340003'),
    name: '合肥市示例第一人民医院',
    provinceId: 'anhui',
    roleTypes: ['medical-institution'],
    institutions: [institution('H34010300001', '合肥市示例第一人民医院', 'main'), institution('H34011100002', '合肥市示例第一人民医院滨湖院区', 'branch')],
    note: '总院与分院共用一个信用代码：只由总院注册，分院子账号由总院主账号创建，在招采系统自有登录页登录（AH-6）',
  },
  {
    uscc: demoUscc('12', '340100', 'DM340004'),
    name: '合肥市示例第一人民医院长丰分院',
    provinceId: 'anhui',
    roleTypes: ['medical-institution'],
    institutions: [institution('H34012100003', '合肥市示例第一人民医院长丰分院', 'branch')],
    note: '分院有自己的信用代码：分院自行注册，经网厅登录（AH-6）',
  },
  {
    uscc: demoUscc('A1', '340100', 'DM340005'),
    name: '中国人民解放军示例部队合肥医院',
    provinceId: 'anhui',
    roleTypes: ['medical-institution'],
    institutions: [institution('H34010400004', '中国人民解放军示例部队合肥医院', 'military')],
    note: '军队医院（军队事业单位 A1 开头）：在招采系统自有登录页登录（AH-7）',
  },
  {
    uscc: demoUscc('12', '340100', 'DM340006'),
    name: '安徽省示例荣军医院',
    provinceId: 'anhui',
    roleTypes: ['medical-institution'],
    institutions: [institution('H34010200005', '安徽省示例荣军医院', 'veterans')],
    note: '荣军医院：在招采系统自有登录页登录（AH-7）',
  },
  {
    uscc: demoUscc('11', '340100', 'DM340007'),
    name: '安徽省示例监狱医院',
    provinceId: 'anhui',
    roleTypes: ['medical-institution'],
    institutions: [institution('H34010400006', '安徽省示例监狱医院', 'prison')],
    note: '监狱医院（机关 11 开头）：在招采系统自有登录页登录（AH-7）',
  },
  {
    uscc: demoUscc('91', '340104', 'DM340008'),
    name: '合肥示例大药房连锁有限公司',
    provinceId: 'anhui',
    roleTypes: ['pharmacy'],
    institutions: [],
    note: '药店（N-3）',
  },
];

/**
 * Per province, two credit codes that are valid (GB 32100 check character right) but absent from
 * the registry: registering or certifying with them gets the "not in the national coding database,
 * maintain it at code.nhsa.gov.cn first" answer (N-4, JL-13, AH-5).
 */
export const REGISTRY_ABSENT_DEMO_CODES: Readonly<Record<string, readonly string[]>> = {
  xizang: [demoUscc('91', '540100', 'DM549901'), demoUscc('12', '540200', 'DM549902')],
  neimenggu: [demoUscc('91', '150100', 'DM159901'), demoUscc('12', '150200', 'DM159902')],
  jilin: [demoUscc('91', '220100', 'DM229901'), demoUscc('12', '220200', 'DM229902')],
  hunan: [demoUscc('91', '430100', 'DM439901'), demoUscc('12', '430100', 'DM439902')],
  anhui: [demoUscc('91', '340100', 'DM349901'), demoUscc('12', '340100', 'DM349902')],
};

/**
 * Demo units that the insurance core system holds no base data for (XZ-9): 单位管理 says so, and
 * procurement business goes on regardless. Marked by migration 1764489600000.
 */
export const CORE_DATA_MISSING_DEMO_CODES: readonly string[] = [demoUscc('91', '540200', 'DM540003')];
