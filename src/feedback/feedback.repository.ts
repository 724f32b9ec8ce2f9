import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { isUniqueViolation } from '#src/database/postgres-errors.js';
import { FeedbackAttachment } from '#src/feedback/feedback-attachment.entity.js';
import { Feedback, type FeedbackAnswer } from '#src/feedback/feedback.entity.js';
import type { ImageType } from '#src/feedback/image-sniff.js';
import type { ProvinceId } from '#src/tenancy/tenant.js';

export interface NewAttachment {
  fieldId: string;
  fileName: string;
  mediaType: ImageType;
  content: Buffer;
}

export interface NewFeedback {
  answers: FeedbackAnswer[];
  profileHash: string;
  attachments: NewAttachment[];
}

export interface StoredFeedback {
  reference: string;
  submittedAt: Date;
  answers: FeedbackAnswer[];
  attachments: Array<{ id: string; fieldId: string; fileName: string; mediaType: string; sizeBytes: number; sha256: string }>;
}

const REFERENCE_ATTEMPTS = 5;

/**
 * Feedback storage. Every method takes the province first, as a ProvinceId that only the registry
 * hands out: a query across provinces, or with an unchecked id, does not compile.
 */
@Injectable()
export class FeedbackRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Stores the feedback and its screenshots in one transaction, under a fresh reference. */
  async create(provinceId: ProvinceId, input: NewFeedback, newReference: () => string): Promise<StoredFeedback> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.insert(provinceId, input, newReference());
      } catch (error) {
        // Two senders drew the same reference on the same day: draw again.
        if (attempt < REFERENCE_ATTEMPTS && isUniqueViolation(error)) continue;
        throw error;
      }
    }
  }

  async list(provinceId: ProvinceId, limit: number): Promise<StoredFeedback[]> {
    const rows = await this.dataSource.getRepository(Feedback).find({ where: { provinceId }, order: { submittedAt: 'DESC', id: 'DESC' }, take: limit });
    return this.withAttachments(provinceId, rows);
  }

  async findByReference(provinceId: ProvinceId, reference: string): Promise<StoredFeedback | undefined> {
    const row = await this.dataSource.getRepository(Feedback).findOne({ where: { provinceId, reference } });
    return row ? (await this.withAttachments(provinceId, [row]))[0] : undefined;
  }

  async attachmentContent(provinceId: ProvinceId, reference: string, attachmentId: string): Promise<{ fileName: string; mediaType: string; content: Buffer } | undefined> {
    if (!/^\d{1,18}$/.test(attachmentId)) return undefined;
    const row = await this.dataSource
      .getRepository(FeedbackAttachment)
      .createQueryBuilder('a')
      .innerJoin(Feedback, 'f', 'f.id = a.feedback_id AND f.province_id = a.province_id')
      .select(['a.fileName', 'a.mediaType'])
      .addSelect('a.content')
      .where('a.province_id = :provinceId AND f.reference = :reference AND a.id = :attachmentId', { provinceId, reference, attachmentId })
      .getOne();
    return row ? { fileName: row.fileName, mediaType: row.mediaType, content: row.content } : undefined;
  }

  private async insert(provinceId: ProvinceId, input: NewFeedback, reference: string): Promise<StoredFeedback> {
    return this.dataSource.transaction(async (manager) => {
      const feedback = manager.create(Feedback, { provinceId, reference, answers: input.answers, profileHash: input.profileHash });
      await manager.save(feedback);
      const attachments = input.attachments.map((a) =>
        manager.create(FeedbackAttachment, {
          provinceId,
          feedbackId: feedback.id,
          fieldId: a.fieldId,
          fileName: a.fileName,
          mediaType: a.mediaType,
          sizeBytes: a.content.length,
          sha256: createHash('sha256').update(a.content).digest('hex'),
          content: a.content,
        }),
      );
      if (attachments.length > 0) await manager.save(attachments);
      return {
        reference,
        submittedAt: feedback.submittedAt,
        answers: feedback.answers,
        attachments: attachments.map(({ id, fieldId, fileName, mediaType, sizeBytes, sha256 }) => ({ id, fieldId, fileName, mediaType, sizeBytes, sha256 })),
      };
    });
  }

  private async withAttachments(provinceId: ProvinceId, rows: Feedback[]): Promise<StoredFeedback[]> {
    if (rows.length === 0) return [];
    const attachments = await this.dataSource
      .getRepository(FeedbackAttachment)
      .createQueryBuilder('a')
      .where('a.province_id = :provinceId AND a.feedback_id IN (:...ids)', { provinceId, ids: rows.map((r) => r.id) })
      .orderBy('a.id')
      .getMany();
    return rows.map((row) => ({
      reference: row.reference,
      submittedAt: row.submittedAt,
      answers: row.answers,
      attachments: attachments
        .filter((a) => a.feedbackId === row.id)
        .map(({ id, fieldId, fileName, mediaType, sizeBytes, sha256 }) => ({ id, fieldId, fileName, mediaType, sizeBytes, sha256 })),
    }));
  }
}
