import { Inject, Injectable, Module } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '#src/clock/clock.js';
import { PeriodicSweeper } from '#src/database/periodic-sweeper.js';
import { FeedbackAdminController } from '#src/feedback/feedback-admin.controller.js';
import { FeedbackAttachment } from '#src/feedback/feedback-attachment.entity.js';
import { FeedbackController } from '#src/feedback/feedback.controller.js';
import { Feedback } from '#src/feedback/feedback.entity.js';
import { FeedbackRepository } from '#src/feedback/feedback.repository.js';
import { FEEDBACK_LIMITER, FeedbackService } from '#src/feedback/feedback.service.js';
import { PortalModule } from '#src/portal/portal.module.js';
import { ProfilesModule } from '#src/profiles/profiles.module.js';
import { EventLogLimiter } from '#src/rate-limits/event-log-limiter.js';
import { TenancyModule } from '#src/tenancy/tenancy.module.js';

/** Accepted feedback per province and client address: 10 in 10 minutes, counted in PostgreSQL by every node together. */
const SUBMISSIONS_PER_WINDOW = 10;
const SUBMISSION_WINDOW_SECONDS = 10 * 60;

/** Forgets submissions no window counts any more. */
@Injectable()
class FeedbackLimitSweeper extends PeriodicSweeper {
  constructor(@Inject(FEEDBACK_LIMITER) private readonly limiter: EventLogLimiter) {
    super(SUBMISSION_WINDOW_SECONDS * 1000, '清理过期的意见反馈频率记录');
  }

  sweep(): Promise<void> {
    return this.limiter.sweep();
  }
}

@Module({
  imports: [TypeOrmModule.forFeature([Feedback, FeedbackAttachment]), ProfilesModule, TenancyModule, PortalModule],
  controllers: [FeedbackController, FeedbackAdminController],
  providers: [
    FeedbackRepository,
    FeedbackService,
    {
      provide: FEEDBACK_LIMITER,
      inject: [getDataSourceToken(), CLOCK],
      useFactory: (db: DataSource, clock: Clock) => new EventLogLimiter(db, 'feedback', { max: SUBMISSIONS_PER_WINDOW, windowSeconds: SUBMISSION_WINDOW_SECONDS }, () => clock.now()),
    },
    FeedbackLimitSweeper,
  ],
})
export class FeedbackModule {}
