/**
 * The UI text catalogue. Pages take every word from here (templates through `{{t "key"}}`, view
 * models through `messagesFor(locale)`), never inline; the locale comes from the profile's
 * `branding.locale`. zh-CN defines the keys: another locale must provide every one of them.
 */
import { ZH_CN } from '#src/portal/i18n/zh-CN.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';

export type Locale = ProvinceProfile['branding']['locale'];
export type MessageKey = keyof typeof ZH_CN;
export type Messages = Readonly<Record<MessageKey, string>>;

const CATALOGUES: Readonly<Record<Locale, Messages>> = { 'zh-CN': ZH_CN };

export const DEFAULT_LOCALE: Locale = 'zh-CN';

export function messagesFor(locale: Locale): Messages {
  return CATALOGUES[locale];
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(ZH_CN, key);
}

/** Replaces `{name}` placeholders; a placeholder without a value stays visible rather than vanishing. */
export function formatMessage(template: string, params: Readonly<Record<string, unknown>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : whole;
  });
}
