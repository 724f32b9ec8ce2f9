import { profileReloadEvents } from '#src/profiles/profile-reload-audit.js';

const issue = (file: string, message: string) => ({ file, line: 3, col: 1, pointer: '/name', message });

describe('profileReloadEvents', () => {
  it('records profile.reloaded for each changed or removed province, nothing for the unchanged', () => {
    const events = profileReloadEvents({ ok: true, version: 'v4', loaded: ['jilin', 'hunan'], changed: ['jilin'], removed: ['anhui'], loadedAt: new Date() });
    expect(events).toEqual([
      { provinceId: 'jilin', event: { kind: 'profile.reloaded', outcome: 'success', actorKind: 'maintainer', detail: { version: 'v4', change: 'changed' } } },
      { provinceId: 'anhui', event: { kind: 'profile.reloaded', outcome: 'success', actorKind: 'maintainer', detail: { version: 'v4', change: 'removed' } } },
    ]);
  });

  it('records profile.reload-failed for the province of each broken file, and for every province when the national base is broken', () => {
    const one = profileReloadEvents({ ok: false, version: 'v3', loaded: ['jilin', 'hunan'], issues: [issue('provinces/hunan.yaml', 'bad'), issue('provinces/hunan.yaml', 'worse')], failedAt: new Date() });
    expect(one).toEqual([{ provinceId: 'hunan', event: expect.objectContaining({ kind: 'profile.reload-failed', outcome: 'failure', detail: { keptVersion: 'v3', issueCount: 2, issues: ['provinces/hunan.yaml:3:1  /name  bad', 'provinces/hunan.yaml:3:1  /name  worse'] } }) as unknown }]);
    const national = profileReloadEvents({ ok: false, version: 'v3', loaded: ['jilin', 'hunan'], issues: [issue('/srv/provinces/_national.yaml', 'bad')], failedAt: new Date() });
    expect(national.map((e) => e.provinceId)).toEqual(['jilin', 'hunan']);
  });
});
