import { Module } from '@nestjs/common';
import { DevOutboxPageController } from '#src/dev-tools/dev-outbox-page.controller.js';
import { DevToolsController } from '#src/dev-tools/dev-tools.controller.js';
import { DevToolsGuard } from '#src/dev-tools/dev-tools.guard.js';
import { PortalModule } from '#src/portal/portal.module.js';
import { ProfilesModule } from '#src/profiles/profiles.module.js';
import { SmsModule } from '#src/sms/sms.module.js';
import { VerificationModule } from '#src/verification/verification.module.js';

/** Always registered (so route policies see it); DevToolsGuard hides it unless DEV_TOOLS is on. */
@Module({
  imports: [SmsModule, VerificationModule, PortalModule, ProfilesModule],
  controllers: [DevToolsController, DevOutboxPageController],
  providers: [DevToolsGuard],
})
export class DevToolsModule {}
