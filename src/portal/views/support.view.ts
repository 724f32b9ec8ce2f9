/**
 * The support page: QQ groups grouped by product category, each labelled with the role it serves
 * (AH-9, HN-14), phones with what each is for, emails, and every CA vendor's contacts, driver
 * download and binding steps (HN-8, HN-11 to HN-14).
 */
import { formatMessage, type Messages } from '#src/portal/i18n/messages.js';
import { linkView, type LinkView } from '#src/portal/views/external-link.js';
import { sourceRefs, type SourceRef } from '#src/portal/views/sources.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';

export interface QqSectionView {
  id: string;
  name: string;
  groups: Array<{ role: string; name: string; number: string }>;
}

export interface CaVendorView {
  id: string;
  name: string;
  contacts: Array<{ kind: string; value: string; label: string }>;
  driver?: { href: string; label: string; note?: string | undefined } | undefined;
  hallBinding?: { steps: string[]; fields: string; via: string; sla: string } | undefined;
  procurementBinding?: { methods: Array<{ label: string; path: string }>; unbind: string; notes: string[] } | undefined;
  sources: SourceRef[];
}

export interface SupportView {
  empty: boolean;
  hall: LinkView;
  qqSections: QqSectionView[];
  qqSources: SourceRef[];
  phones: Array<{ number: string; purpose: string; contactName?: string | undefined }>;
  phoneSources: SourceRef[];
  emails: Array<{ address: string; purpose: string }>;
  emailSources: SourceRef[];
  caVendors: CaVendorView[];
}

export function supportView(profile: ProvinceProfile, m: Messages): SupportView {
  const { support } = profile;
  const roleName = new Map(profile.roleTypes.map((r) => [r.id, r.name]));
  const roleOrder = profile.roleTypes.map((r) => r.id);
  const qqSections = profile.productCategories
    .map((category) => ({
      id: category.id,
      name: category.name,
      groups: support.qqGroups
        .filter((g) => g.category === category.id)
        .sort((a, b) => roleOrder.indexOf(a.roleType) - roleOrder.indexOf(b.roleType))
        .map((g) => ({ role: roleName.get(g.roleType) ?? g.roleType, name: g.name, number: g.number })),
    }))
    .filter((section) => section.groups.length > 0);
  const caVendors = profile.caVendors.map((vendor) => caVendorView(profile, vendor, m));
  return {
    empty: support.qqGroups.length === 0 && support.phones.length === 0 && support.emails.length === 0 && caVendors.length === 0,
    hall: linkView(profile.urls.hall),
    qqSections,
    qqSources: sourceRefs(profile, support.source, ...support.qqGroups.map((g) => g.source)),
    phones: support.phones.map((p) => ({ number: p.number, purpose: p.purpose, contactName: p.contactName })),
    phoneSources: sourceRefs(profile, ...support.phones.map((p) => p.source)),
    emails: support.emails.map((e) => ({ address: e.address, purpose: e.purpose })),
    emailSources: sourceRefs(profile, ...support.emails.map((e) => e.source)),
    caVendors,
  };
}

function caVendorView(profile: ProvinceProfile, vendor: ProvinceProfile['caVendors'][number], m: Messages): CaVendorView {
  const driverLink = profile.urls.caDriver;
  const driverUrl = vendor.driverUrl ?? driverLink?.url;
  const hall = vendor.hallBinding;
  const procurement = vendor.procurementBinding;
  return {
    id: vendor.id,
    name: vendor.name,
    contacts: vendor.contacts.map((c) => ({ kind: m[`contactKind.${c.kind}`], value: c.value, label: c.label })),
    driver: driverUrl
      ? { href: driverUrl, label: driverLink?.url === driverUrl ? driverLink.title : m['support.ca.driver'], note: driverLink?.url === driverUrl ? driverLink.note : undefined }
      : undefined,
    hallBinding: hall
      ? {
          steps: hall.steps,
          fields: hall.submitFields.join('、'),
          via: hall.submitVia,
          sla: formatMessage(m[hall.slaWorkingDaysOnly ? 'support.ca.slaWorkingDays' : 'support.ca.slaHours'], { hours: hall.slaHours }),
        }
      : undefined,
    procurementBinding: procurement
      ? {
          methods: procurement.methods.map((method) => ({ label: method.label, path: method.steps.join(' › ') })),
          unbind: procurement.unbindPath.join(' › '),
          notes: [
            procurement.pinLogin ? m['support.ca.pin'] : undefined,
            procurement.mainAccountForSubAccounts ? m['support.ca.mainForSub'] : undefined,
            procurement.subAccountForSelf ? m['support.ca.subForSelf'] : undefined,
          ].filter((note): note is string => note !== undefined),
        }
      : undefined,
    sources: sourceRefs(profile, vendor.source, ...vendor.contacts.map((c) => c.source), hall?.source, procurement?.source, driverLink?.source),
  };
}
