import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A screenshot of a feedback, stored in the database (PNG or JPEG, by content). */
@Entity({ name: 'feedback_attachments' })
export class FeedbackAttachment {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'province_id', type: 'text' })
  provinceId!: string;

  @Column({ name: 'feedback_id', type: 'bigint' })
  feedbackId!: string;

  @Column({ name: 'field_id', type: 'text' })
  fieldId!: string;

  @Column({ name: 'file_name', type: 'text' })
  fileName!: string;

  @Column({ name: 'media_type', type: 'text' })
  mediaType!: string;

  @Column({ name: 'size_bytes', type: 'integer' })
  sizeBytes!: number;

  @Column({ type: 'char', length: 64 })
  sha256!: string;

  /** Not loaded with lists: only the download reads the bytes. */
  @Column({ type: 'bytea', select: false })
  content!: Buffer;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
