import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** When each version of a province's resolved profile went live (migrations/…-profile-revisions). */
@Entity({ name: 'profile_revisions' })
export class ProfileRevision {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'province_id', type: 'text' })
  provinceId!: string;

  @Column({ type: 'char', length: 64 })
  hash!: string;

  @Column({ name: 'national_file', type: 'text', nullable: true })
  nationalFile!: string | null;

  @Column({ name: 'province_file', type: 'text', nullable: true })
  provinceFile!: string | null;

  @CreateDateColumn({ name: 'loaded_at', type: 'timestamptz' })
  loadedAt!: Date;
}
