import { IMAGE_MAX_MB, TEXT_MAX_LENGTH } from '#src/feedback/feedback-form.js';
import { formatMessage, type Messages } from '#src/portal/i18n/messages.js';
import { linkView, type LinkView } from '#src/portal/views/external-link.js';
import { sourceRefs, type SourceRef } from '#src/portal/views/sources.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';

export interface FeedbackFieldView {
  id: string;
  label: string;
  kind: string;
  required: boolean;
  value: string;
  error?: string | undefined;
  maxLength?: number | undefined;
  hint?: string | undefined;
}

export interface FeedbackPageView {
  lead: string;
  form?: { csrfToken: string; hasErrors: boolean; fields: FeedbackFieldView[] } | undefined;
  unavailable?: { alternative: string; hall: LinkView; supportHasContacts: boolean } | undefined;
  otherChannels: Array<{ text: string; href?: string | undefined; linkLabel?: string | undefined }>;
  format: string[];
  sources: SourceRef[];
}

export interface FeedbackFormState {
  csrfToken: string;
  values?: Readonly<Record<string, string>>;
  errors?: Readonly<Record<string, string>>;
}

/** Whether the province takes feedback through this portal's form. */
export function offersForm(profile: ProvinceProfile): boolean {
  return profile.feedback.enabled && profile.feedback.channels.includes('form') && profile.feedback.fields.length > 0;
}

/**
 * The feedback page: the form with exactly the province's fields, its other channels (email, QQ)
 * with the format they expect, or — where the province has no feedback channel — where to turn.
 */
export function feedbackPageView(profile: ProvinceProfile, base: string, state: FeedbackFormState, m: Messages): FeedbackPageView {
  const { feedback, support } = profile;
  const errors = state.errors ?? {};
  const form = offersForm(profile)
    ? {
        csrfToken: state.csrfToken,
        hasErrors: Object.keys(errors).length > 0,
        fields: feedback.fields.map((field) => ({
          id: field.id,
          label: field.label,
          kind: field.kind,
          required: field.required,
          value: state.values?.[field.id] ?? '',
          error: errors[field.id],
          maxLength: field.kind === 'image' ? undefined : TEXT_MAX_LENGTH[field.kind],
          hint: field.kind === 'image' ? formatMessage(m['feedback.imageHint'], { mb: IMAGE_MAX_MB }) : field.kind === 'contact' ? m['feedback.contactHint'] : undefined,
        })),
      }
    : undefined;
  const otherChannels: FeedbackPageView['otherChannels'] = [];
  if (feedback.enabled && feedback.channels.includes('email')) {
    for (const email of support.emails) {
      otherChannels.push({ text: formatMessage(m['feedback.channels.email'], { address: email.address }), href: `mailto:${email.address}`, linkLabel: m['feedback.channels.emailLink'] });
    }
  }
  if (feedback.enabled && feedback.channels.includes('qq') && support.qqGroups.length > 0) {
    otherChannels.push({ text: m['feedback.channels.qq'], href: `${base}/support`, linkLabel: m['feedback.channels.qqLink'] });
  }
  return {
    lead: form ? m['feedback.lead'] : m['feedback.leadUnavailable'],
    form,
    unavailable: feedback.enabled
      ? undefined
      : {
          alternative: feedback.alternative ?? '',
          hall: linkView(profile.urls.hall),
          supportHasContacts: support.phones.length > 0 || support.qqGroups.length > 0 || support.emails.length > 0 || profile.caVendors.length > 0,
        },
    otherChannels,
    format: otherChannels.length > 0 ? feedback.fields.map((f) => f.label) : [],
    sources: sourceRefs(profile, feedback.source, ...feedback.fields.map((f) => f.source)),
  };
}
