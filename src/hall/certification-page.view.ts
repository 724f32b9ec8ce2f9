import type { HallOverview } from '#src/hall/certification.service.js';
import { formatMessage, type Messages } from '#src/portal/i18n/messages.js';
import { sourceRefs, type SourceRef } from '#src/portal/views/sources.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';

export interface CertificationPageView {
  lead: string;
  certified: Array<{ name: string }>;
  form?: { action: string; csrfToken: string; options: Array<{ id: string; value: string; label: string }>; error?: string | undefined } | undefined;
  /** Why this account cannot certify (HN-9), when it cannot and the unit still has to. */
  blocked?: string | undefined;
  note?: string | undefined;
  hallHref: string;
  sources: SourceRef[];
}

/** 角色认证 (XZ-6): the role types to pick from, or what is certified, and 返回服务大厅. */
export function certificationPageView(profile: ProvinceProfile, base: string, overview: HallOverview, state: { csrfToken: string; error?: string | undefined }, m: Messages): CertificationPageView {
  const { certification, login } = profile;
  const form =
    overview.mustCertify && overview.canCertify
      ? {
          action: `${base}/certify`,
          csrfToken: state.csrfToken,
          options: overview.certifiableRoleTypes.map((r) => ({ id: `role-${r.id}`, value: r.id, label: r.name })),
          error: state.error,
        }
      : undefined;
  return {
    lead: formatMessage(m['certify.lead'], { unit: overview.unit.name }),
    certified: overview.certifiedRoleTypes.map((r) => ({ name: r.name })),
    form,
    blocked: overview.mustCertify && !overview.canCertify ? (login.mainAccountForCertification.enabled ? login.mainAccountForCertification.note : undefined) ?? m['certify.mainOnly'] : undefined,
    note: certification.note,
    hallHref: `${base}/hall`,
    sources: sourceRefs(profile, certification.source, login.mainAccountForCertification.source, ...profile.roleTypes.map((r) => r.source)),
  };
}
