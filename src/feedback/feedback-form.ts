/**
 * Checks a submission against exactly the province's feedback fields (AH-8): required ones present,
 * text within length, each screenshot a single PNG or JPEG (by its bytes) within the size limit.
 * Fields the province does not ask for are ignored.
 */
import { basename } from 'node:path';
import type { FeedbackAnswer } from '#src/feedback/feedback.entity.js';
import type { NewAttachment } from '#src/feedback/feedback.repository.js';
import { sniffImage } from '#src/feedback/image-sniff.js';
import { formatMessage, type Messages } from '#src/portal/i18n/messages.js';
import { isUploadedFile, PORTAL_FORM_LIMITS, type FormValue, type PortalFormBody } from '#src/portal/portal-form.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';

export type FeedbackField = ProvinceProfile['feedback']['fields'][number];
type TextKind = Exclude<FeedbackField['kind'], 'image'>;

export const TEXT_MAX_LENGTH: Readonly<Record<TextKind, number>> = { text: 200, contact: 100, textarea: 2000 };
export const IMAGE_MAX_BYTES = PORTAL_FORM_LIMITS.fileSize;
export const IMAGE_MAX_MB = IMAGE_MAX_BYTES / (1024 * 1024);

export type FormCheck =
  | { ok: true; answers: FeedbackAnswer[]; attachments: NewAttachment[] }
  | { ok: false; errors: Record<string, string>; values: Record<string, string> };

export function checkFeedbackForm(fields: readonly FeedbackField[], body: PortalFormBody | undefined, m: Messages): FormCheck {
  const errors: Record<string, string> = {};
  const values: Record<string, string> = {};
  const answers: FeedbackAnswer[] = [];
  const attachments: NewAttachment[] = [];
  for (const field of fields) {
    const raw = body?.[field.id];
    const entries: FormValue[] = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    const label = { label: field.label };
    if (field.kind === 'image') {
      const files = entries.filter(isUploadedFile);
      const file = files[0];
      if (files.length > 1) errors[field.id] = formatMessage(m['feedback.error.single'], label);
      else if (!file) {
        if (field.required) errors[field.id] = formatMessage(m['feedback.error.requiredImage'], label);
      } else if (file.truncated || file.data.length > IMAGE_MAX_BYTES) errors[field.id] = formatMessage(m['feedback.error.tooLarge'], { ...label, mb: IMAGE_MAX_MB });
      else {
        const mediaType = sniffImage(file.data);
        if (!mediaType) errors[field.id] = formatMessage(m['feedback.error.notImage'], label);
        else attachments.push({ fieldId: field.id, fileName: safeFileName(file.filename, field.id, mediaType), mediaType, content: file.data });
      }
      continue;
    }
    const text = entries.find((entry): entry is string => typeof entry === 'string')?.trim() ?? '';
    values[field.id] = text;
    const max = TEXT_MAX_LENGTH[field.kind];
    if (text === '' && field.required) errors[field.id] = formatMessage(m['feedback.error.required'], label);
    else if ([...text].length > max) errors[field.id] = formatMessage(m['feedback.error.tooLong'], { ...label, max });
    else if (text !== '') answers.push({ fieldId: field.id, label: field.label, value: text });
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors, values } : { ok: true, answers, attachments };
}

/** The sender's file name, for staff only: no path, no control characters, bounded. */
function safeFileName(name: string, fieldId: string, mediaType: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const cleaned = basename(name.replaceAll('\\', '/')).replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 120);
  return cleaned || `${fieldId}.${mediaType === 'image/png' ? 'png' : 'jpg'}`;
}
