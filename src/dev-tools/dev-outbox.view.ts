import type { Messages } from '#src/portal/i18n/messages.js';
import type { CompiledProfile } from '#src/profiles/profile-compiler.js';
import type { OutboxEntry } from '#src/sms/providers/outbox-sms.provider.js';

export interface DevOutboxView {
  phone: string;
  messages: Array<{ messageId: string; time: string; province: string; phone: string; purpose: string; text: string }>;
}

const TIME = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'medium' });

export function devOutboxView(entries: readonly OutboxEntry[], phone: string, m: Messages, profileOf: (id: string) => CompiledProfile | undefined): DevOutboxView {
  return {
    phone,
    messages: entries.map((entry) => ({
      messageId: entry.messageId,
      time: TIME.format(entry.createdAt),
      province: profileOf(entry.provinceId)?.profile.name ?? entry.provinceId,
      phone: entry.phone,
      purpose: (m as Record<string, string | undefined>)[`devOutbox.purpose.${entry.purpose}`] ?? entry.purpose,
      text: entry.text,
    })),
  };
}
