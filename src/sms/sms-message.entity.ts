import { Column, Entity, PrimaryColumn } from 'typeorm';

export const SMS_STATUSES = ['queued', 'sending', 'sent', 'failed', 'dead'] as const;
export type SmsStatus = (typeof SMS_STATUSES)[number];

/**
 * One text message's life (migrations/…-verification-sms): queued → sending → sent, or failed
 * (a retry is due) → … → dead. State changes go through SmsMessageStore's conditional updates.
 */
@Entity({ name: 'sms_messages' })
export class SmsMessage {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'province_id', type: 'text' })
  provinceId!: string;

  @Column({ type: 'text' })
  phone!: string;

  @Column({ type: 'text' })
  purpose!: string;

  @Column({ name: 'sign_name', type: 'text' })
  signName!: string;

  @Column({ type: 'text' })
  status!: SmsStatus;

  @Column({ type: 'integer' })
  attempts!: number;

  /** Sealed SmsPayload (AES-GCM); cleared once the message is sent or dead. */
  @Column({ type: 'bytea', nullable: true, select: false })
  payload!: Buffer | null;

  @Column({ type: 'text', nullable: true })
  provider!: string | null;

  @Column({ name: 'provider_message_id', type: 'text', nullable: true })
  providerMessageId!: string | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  /** Past this the code it carries is useless: the worker drops it instead of sending. */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;
}
