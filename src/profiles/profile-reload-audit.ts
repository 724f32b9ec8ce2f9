import { basename } from 'node:path';
import type { AuditEvent } from '#src/audit/audit-log.js';
import { NATIONAL_FILE } from '#src/profiles/profile-compiler.js';
import { formatIssue } from '#src/profiles/profile-issue.js';
import type { ReloadOutcome } from '#src/profiles/profile-registry.service.js';

/** At most this many problems per event: the rest are in the reload's answer and the log. */
const ISSUES_PER_EVENT = 20;

/**
 * The audit events of a maintainer's reload, one per province it touched, so each province's
 * administrators see it in their own trail: `profile.reloaded` for a profile that changed or was
 * removed, `profile.reload-failed` for one whose file (or the national base under it) is broken.
 */
export function profileReloadEvents(outcome: ReloadOutcome): Array<{ provinceId: string; event: AuditEvent }> {
  const event = (kind: string, result: 'success' | 'failure', detail: Record<string, unknown>): AuditEvent => ({ kind, outcome: result, actorKind: 'maintainer', detail });
  if (outcome.ok) {
    return [
      ...outcome.changed.map((provinceId) => ({ provinceId, event: event('profile.reloaded', 'success', { version: outcome.version, change: 'changed' }) })),
      ...outcome.removed.map((provinceId) => ({ provinceId, event: event('profile.reloaded', 'success', { version: outcome.version, change: 'removed' }) })),
    ];
  }
  const byProvince = new Map<string, string[]>();
  for (const issue of outcome.issues) {
    const file = basename(issue.file);
    const provinces = file === NATIONAL_FILE ? outcome.loaded : [basename(file, '.yaml')];
    for (const id of provinces) byProvince.set(id, [...(byProvince.get(id) ?? []), formatIssue(issue)]);
  }
  return [...byProvince].map(([provinceId, issues]) => ({
    provinceId,
    event: event('profile.reload-failed', 'failure', { keptVersion: outcome.version, issueCount: issues.length, issues: issues.slice(0, ISSUES_PER_EVENT) }),
  }));
}
