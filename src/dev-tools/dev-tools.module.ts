import { Module } from '@nestjs/common';
import { DevToolsController } from '#src/dev-tools/dev-tools.controller.js';
import { DevToolsGuard } from '#src/dev-tools/dev-tools.guard.js';
import { SmsModule } from '#src/sms/sms.module.js';
import { VerificationModule } from '#src/verification/verification.module.js';

/** Always registered (so route policies see it); DevToolsGuard hides it unless DEV_TOOLS is on. */
@Module({
  imports: [SmsModule, VerificationModule],
  controllers: [DevToolsController],
  providers: [DevToolsGuard],
})
export class DevToolsModule {}
