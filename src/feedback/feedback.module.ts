import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CLOCK, type Clock } from '#src/clock/clock.js';
import { FeedbackAdminController } from '#src/feedback/feedback-admin.controller.js';
import { FeedbackAttachment } from '#src/feedback/feedback-attachment.entity.js';
import { FeedbackController } from '#src/feedback/feedback.controller.js';
import { Feedback } from '#src/feedback/feedback.entity.js';
import { FeedbackRepository } from '#src/feedback/feedback.repository.js';
import { FEEDBACK_LIMITER, FeedbackService } from '#src/feedback/feedback.service.js';
import { SubmissionLimiter } from '#src/feedback/submission-limiter.js';
import { PortalModule } from '#src/portal/portal.module.js';
import { ProfilesModule } from '#src/profiles/profiles.module.js';
import { TenancyModule } from '#src/tenancy/tenancy.module.js';

/** Accepted feedback per province and client address: 10 in 10 minutes. */
const SUBMISSIONS_PER_WINDOW = 10;
const SUBMISSION_WINDOW_MS = 10 * 60 * 1000;

@Module({
  imports: [TypeOrmModule.forFeature([Feedback, FeedbackAttachment]), ProfilesModule, TenancyModule, PortalModule],
  controllers: [FeedbackController, FeedbackAdminController],
  providers: [
    FeedbackRepository,
    FeedbackService,
    { provide: FEEDBACK_LIMITER, inject: [CLOCK], useFactory: (clock: Clock) => new SubmissionLimiter(SUBMISSIONS_PER_WINDOW, SUBMISSION_WINDOW_MS, () => clock.now().getTime()) },
  ],
})
export class FeedbackModule {}
