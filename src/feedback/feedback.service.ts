import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '#src/clock/clock.js';
import { checkFeedbackForm } from '#src/feedback/feedback-form.js';
import { newFeedbackReference } from '#src/feedback/feedback-reference.js';
import { FeedbackRepository, type StoredFeedback } from '#src/feedback/feedback.repository.js';
import { feedbackException, FeedbackErrorCode } from '#src/feedback/feedback.exception.js';
import { offersForm } from '#src/feedback/feedback-page.view.js';
import type { Messages } from '#src/portal/i18n/messages.js';
import type { PortalFormBody } from '#src/portal/portal-form.js';
import type { EventLogLimiter } from '#src/rate-limits/event-log-limiter.js';
import type { Tenant } from '#src/tenancy/tenant.js';

export const FEEDBACK_LIMITER = Symbol('FEEDBACK_LIMITER');

export type SubmitOutcome = { ok: true; stored: StoredFeedback } | { ok: false; errors: Record<string, string>; values: Record<string, string> };

@Injectable()
export class FeedbackService {
  constructor(
    @Inject(FeedbackRepository) private readonly repository: FeedbackRepository,
    @Inject(FEEDBACK_LIMITER) private readonly limiter: EventLogLimiter,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async submit(tenant: Tenant, body: PortalFormBody | undefined, clientAddress: string, m: Messages): Promise<SubmitOutcome> {
    const { profile } = tenant;
    if (!offersForm(profile)) throw feedbackException(FeedbackErrorCode.FEEDBACK_DISABLED);
    const retryAfterSeconds = await this.limiter.retryAfterSeconds(tenant.provinceId, clientAddress);
    if (retryAfterSeconds > 0) throw feedbackException(FeedbackErrorCode.FEEDBACK_RATE_LIMITED, undefined, undefined, { retryAfterSeconds });
    const checked = checkFeedbackForm(profile.feedback.fields, body, m);
    if (!checked.ok) return checked;
    const stored = await this.repository.create(tenant.provinceId, { answers: checked.answers, attachments: checked.attachments, profileHash: tenant.compiled.hash }, () =>
      newFeedbackReference(this.clock.now()),
    );
    await this.limiter.record(tenant.provinceId, clientAddress);
    return { ok: true, stored };
  }
}
