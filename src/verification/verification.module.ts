import { Module } from '@nestjs/common';
import { ProfilesModule } from '#src/profiles/profiles.module.js';
import { SmsModule } from '#src/sms/sms.module.js';
import { CaptchaService } from '#src/verification/captcha.service.js';
import { SmsCodeService } from '#src/verification/sms-code.service.js';
import { VerificationController } from '#src/verification/verification.controller.js';
import { VerificationSweeper } from '#src/verification/verification-sweeper.js';

/** Graphic captchas and SMS codes; CaptchaService.consume and SmsCodeService.verify serve the other rooms. */
@Module({
  imports: [ProfilesModule, SmsModule],
  controllers: [VerificationController],
  providers: [CaptchaService, SmsCodeService, VerificationSweeper],
  exports: [CaptchaService, SmsCodeService],
})
export class VerificationModule {}
