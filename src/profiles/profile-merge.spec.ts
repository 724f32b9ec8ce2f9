import { mergeLayers } from '#src/profiles/profile-merge.js';

const national = {
  branding: { logoText: '医保服务大厅', primaryColor: '#1f5fa8' },
  roleTypes: [
    { id: 'manufacturer', name: '生产(代理)企业', offered: true },
    { id: 'pharmacy', name: '药店', offered: true },
  ],
  duplicateMessages: ['该社会信用代码已被注册'],
  feedback: { enabled: false, alternative: '请打电话' },
};

describe('mergeLayers: national base → province overlay (DESIGN.md merge rules)', () => {
  const province = {
    branding: { primaryColor: '#b8262b' },
    roleTypes: [
      { id: 'pharmacy', name: '协议药店' },
      { id: 'distributor', name: '配送企业', offered: true },
    ],
    duplicateMessages: ['该企业已有单位账号信息'],
    feedback: { alternative: null },
  };
  const { value, origins } = mergeLayers([
    { file: 'n.yaml', data: national },
    { file: 'p.yaml', data: province },
  ]);

  it('merges maps deeply, keeping the national keys the province does not set', () => {
    expect(value).toMatchObject({ branding: { logoText: '医保服务大厅', primaryColor: '#b8262b' } });
  });

  it('merges lists of objects by id: national order kept, overridden fields merged, new items appended (HN-7 协议药店)', () => {
    expect((value as typeof national).roleTypes).toEqual([
      { id: 'manufacturer', name: '生产(代理)企业', offered: true },
      { id: 'pharmacy', name: '协议药店', offered: true },
      { id: 'distributor', name: '配送企业', offered: true },
    ]);
  });

  it('replaces lists of scalars whole', () => {
    expect((value as typeof national).duplicateMessages).toEqual(['该企业已有单位账号信息']);
  });

  it('removes a key set to null, with its origin', () => {
    expect((value as typeof national).feedback).toEqual({ enabled: false });
    expect(origins.has('/feedback/alternative')).toBe(false);
  });

  it('records where every value came from, so errors and "inherited" point at the right file and path', () => {
    expect(origins.get('/branding/logoText')).toEqual({ file: 'n.yaml', path: ['branding', 'logoText'] });
    expect(origins.get('/branding/primaryColor')).toEqual({ file: 'p.yaml', path: ['branding', 'primaryColor'] });
    expect(origins.get('/roleTypes/1/name')).toEqual({ file: 'p.yaml', path: ['roleTypes', 0, 'name'] });
    expect(origins.get('/roleTypes/1/offered')).toEqual({ file: 'n.yaml', path: ['roleTypes', 1, 'offered'] });
    expect(origins.get('/roleTypes/2/id')).toEqual({ file: 'p.yaml', path: ['roleTypes', 1, 'id'] });
    expect(origins.get('/duplicateMessages/0')).toEqual({ file: 'p.yaml', path: ['duplicateMessages', 0] });
  });

  it('does not let a replaced list keep origins of national items beyond its new length', () => {
    const { origins: o } = mergeLayers([
      { file: 'n.yaml', data: { tabs: ['a', 'b', 'c'] } },
      { file: 'p.yaml', data: { tabs: ['x'] } },
    ]);
    expect(o.has('/tabs/1')).toBe(false);
    expect(o.get('/tabs/0')?.file).toBe('p.yaml');
  });

  it('does not modify its inputs', () => {
    expect(national.roleTypes[1]).toEqual({ id: 'pharmacy', name: '药店', offered: true });
    expect(province.feedback).toEqual({ alternative: null });
  });
});
