/**
 * The five shipped profiles transcribe the manuals (shared/seeds): each test names the rule it
 * checks, so a change that breaks the transcription says which rule it broke.
 */
import { compileProfileDir } from '#src/profiles/profile-files.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';

let profiles: Map<string, ProvinceProfile>;

beforeAll(async () => {
  const { profiles: compiled, issues } = await compileProfileDir('provinces');
  expect(issues).toEqual([]);
  profiles = new Map(compiled.map((c) => [c.profile.id, c.profile]));
});

const get = (id: string): ProvinceProfile => {
  const profile = profiles.get(id);
  if (!profile) throw new Error(`no profile ${id}`);
  return profile;
};
const method = (id: string, methodId: string) => get(id).login.methods.find((m) => m.id === methodId);

describe('shipped profiles', () => {
  it('load all five provinces with their GB/T 2260 codes', () => {
    expect(Object.fromEntries([...profiles.values()].map((p) => [p.id, p.code]))).toEqual({
      xizang: '540000',
      neimenggu: '150000',
      jilin: '220000',
      hunan: '430000',
      anhui: '340000',
    });
  });

  it('N-2: every province links the national service platform and the code maintenance site', () => {
    for (const p of profiles.values()) {
      expect(p.urls.nationalService.url).toBe('https://fuwu.nhsa.gov.cn');
      expect(p.urls.codeMaintenance.url).toBe('https://code.nhsa.gov.cn');
    }
  });

  it('N-3/XZ-2: Tibet offers 生产/代理企业, 医院, 配送企业 and no pharmacy', () => {
    expect(get('xizang').roleTypes.filter((r) => r.offered).map((r) => r.name)).toEqual(['生产/代理企业', '配送企业', '医院']);
  });

  it('XZ-4: Tibet passwords are 8-16 characters with digits, letters and special characters', () => {
    expect(get('xizang').registration.passwordPolicy).toMatchObject({ minLength: 8, maxLength: 16, requireDigit: true, requireLetter: true, requireSpecial: true });
  });

  it('XZ-4: Tibet operator fields are all required and in the manual order', () => {
    const fields = get('xizang').registration.operatorFields;
    expect(fields.map((f) => f.label)).toEqual(['经办人姓名', '经办人证件类型', '证件号码', '证件有效起始日期', '证件有效截止日期', '经办人手机号', '经办人密码', '确认密码']);
    expect(fields.every((f) => f.required)).toBe(true);
  });

  it('XZ-8/NM-2: adding an existing operator asks for the ID number in Tibet and the mobile number in Inner Mongolia', () => {
    expect(get('xizang').operators.existingOperatorChecks).toEqual(['id-number', 'graphic-captcha', 'sms-code']);
    expect(get('neimenggu').operators.existingOperatorChecks).toEqual(['mobile', 'graphic-captcha', 'sms-code']);
  });

  it('NM-4/NM-5: Inner Mongolia operators choose the unit after login; the institution choice is final', () => {
    expect(get('neimenggu').login.chooseUnitAfterLogin.enabled).toBe(true);
    expect(get('neimenggu').login.institutionChoiceFinal.enabled).toBe(true);
  });

  it('JL-4: Jilin also allows logging in with the unified social credit code', () => {
    expect(method('jilin', 'credit-code')).toMatchObject({ enabled: true, accounts: ['unit'] });
    expect(method('hunan', 'credit-code')?.enabled).toBe(false);
  });

  it('JL-7/JL-8: in Jilin the unit account cannot transact and password recovery resets the unit account only', () => {
    expect(get('jilin').unitAccount.canTransact).toBe(false);
    expect(get('jilin').recovery.unitAccountOnly.enabled).toBe(true);
    expect(get('jilin').recovery.methods.map((m) => m.id)).toEqual(['unit-info', 'credit-code']);
  });

  it('JL-5: in Jilin both the main account and the operators certify their role', () => {
    expect(get('jilin').certification.certifiers).toEqual(['unit', 'operator']);
  });

  it('HN-1: Hunan offers password, CA and QR login', () => {
    expect(get('hunan').login.methods.filter((m) => m.enabled).map((m) => m.id)).toEqual(['password', 'ca', 'qr']);
    expect(method('hunan', 'ca')?.caVendor).toBe('hunan-ca');
  });

  it('HN-4: a Hunan registration creates an administrator and an operator account', () => {
    expect(get('hunan').registration.accountsCreated.map((a) => a.label)).toEqual(['管理员账号', '经办员账号']);
  });

  it('HN-8: Hunan CA binding in the hall takes effect within 24 working hours', () => {
    const binding = get('hunan').caVendors[0]?.hallBinding;
    expect(binding).toMatchObject({ slaHours: 24, slaWorkingDaysOnly: true, submitFields: ['单位名称', '统一信用代码', '证书序列号'] });
  });

  it('HN-10: Hunan distributors register in the procurement subsystem and wait for review', () => {
    expect(get('hunan').roleTypes.find((r) => r.id === 'distributor')).toMatchObject({ registersAt: 'procurement' });
    expect(get('hunan').distributors).toMatchObject({ reviewRequired: true });
    expect(get('hunan').urls.distributorRegistration?.url).toBe('https://tps.ybj.hunan.gov.cn');
  });

  it('HN-13/HN-14: Hunan lists the CA hotline, the driver download and both procurement QQ groups', () => {
    const hunan = get('hunan');
    expect(hunan.caVendors[0]?.contacts.map((c) => c.value)).toEqual(['4006682666', '4006682666']);
    expect(hunan.caVendors[0]?.driverUrl).toBe('http://www.hunca.com.cn/findByArticleType.html?articleType=11');
    expect(hunan.support.qqGroups.map((g) => [g.roleType, g.number])).toEqual([
      ['manufacturer', '151914988'],
      ['distributor', '361899808'],
    ]);
    expect(hunan.support.phones.map((p) => p.number)).toEqual(['4006682666', '18874734553', '18374983512']);
  });

  it('AH-9: Anhui has nine QQ groups, one per product category × role', () => {
    const groups = get('anhui').support.qqGroups;
    expect(groups).toHaveLength(9);
    const byKey = Object.fromEntries(groups.map((g) => [`${g.category}/${g.roleType}`, g.number]));
    expect(byKey).toEqual({
      'drug/manufacturer': '852121671',
      'drug/distributor': '678317412',
      'drug/medical-institution': '236085530',
      'consumable/manufacturer': '679328864',
      'consumable/distributor': '701271562',
      'consumable/medical-institution': '554390627',
      'reagent/manufacturer': '454208819',
      'reagent/distributor': '493129937',
      'reagent/medical-institution': '103275869',
    });
  });

  it('AH-6/AH-7: Anhui branch hospitals with the main USCC and special institutions log in at the procurement subsystem', () => {
    const anhui = get('anhui');
    expect(anhui.institutions).toMatchObject({ branchSameUscc: 'main-registers', branchSameUsccLogin: 'procurement-local', branchDifferentUscc: 'each-registers' });
    expect(anhui.institutions.special.map((s) => s.id)).toEqual(['military', 'veterans', 'prison']);
    expect(anhui.urls.procurementLocalLogin?.url).toBe('http://tps.ahyycg.cn:8666/tps-local/login');
  });

  it('AH-8: Anhui feedback asks for exactly the seven fields of the manual, by email ahyycg@hxmec.com', () => {
    const anhui = get('anhui');
    expect(anhui.feedback.fields.map((f) => f.label)).toEqual(['机构名称', '原招采平台账号', '原招采平台账号截图（含网址）', '问题描述', '问题截图', '反馈人姓名', '反馈人联系方式']);
    expect(anhui.support.emails.map((e) => e.address)).toEqual(['ahyycg@hxmec.com']);
  });

  it('AH-2/JL-2: Anhui and Jilin registration needs a graphic captcha; Tibet needs the SMS code only', () => {
    expect(get('anhui').registration.graphicCaptcha.enabled).toBe(true);
    expect(get('jilin').registration.graphicCaptcha.enabled).toBe(true);
    expect(get('xizang').registration.graphicCaptcha.enabled).toBe(false);
    expect(get('xizang').registration.smsCode.enabled).toBe(true);
  });

  it('every rule a province sets cites a rule id of its own manual or the national rules', () => {
    for (const p of profiles.values()) {
      const prefixes = new Set(p.documents.map((d) => d.rulePrefix));
      const cited = JSON.stringify(p).match(/"[A-Z]{1,4}-\d+"/g) ?? [];
      expect(cited.length).toBeGreaterThan(10);
      for (const id of cited) expect(prefixes).toContain(id.slice(1).split('-')[0]);
    }
  });
});
