import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One answer of the province's feedback form, with the label the sender saw (labels may change later). */
export interface FeedbackAnswer {
  fieldId: string;
  label: string;
  value: string;
}

/** A feedback sent through a province's portal (migrations/1764230400000-feedback). */
@Entity({ name: 'feedback' })
export class Feedback {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'province_id', type: 'text' })
  provinceId!: string;

  @Column({ type: 'text' })
  reference!: string;

  @Column({ type: 'jsonb' })
  answers!: FeedbackAnswer[];

  /** The resolved profile the form was built from, to tell which field list the answers follow. */
  @Column({ name: 'profile_hash', type: 'char', length: 64 })
  profileHash!: string;

  @CreateDateColumn({ name: 'submitted_at', type: 'timestamptz' })
  submittedAt!: Date;
}
