import { Module } from '@nestjs/common';
import { CaCoreModule } from '#src/ca/ca-core.module.js';
import { IdentityModule } from '#src/identity/identity.module.js';
import { HallPageController } from '#src/identity/pages/hall-page.controller.js';
import { HallPageGuard, QrPageGuard } from '#src/identity/pages/hall-page.guard.js';
import { LoginPageController } from '#src/identity/pages/login-page.controller.js';
import { RecoveryPageController } from '#src/identity/pages/recovery-page.controller.js';
import { RegistrationPageController } from '#src/identity/pages/registration-page.controller.js';
import { PortalModule } from '#src/portal/portal.module.js';
import { ProfilesModule } from '#src/profiles/profiles.module.js';
import { TenancyModule } from '#src/tenancy/tenancy.module.js';
import { VerificationModule } from '#src/verification/verification.module.js';

/**
 * The branded pages of the journey (issue item 7): registration wizard, login (password, credit
 * code, QR), the unit and institution choices, recovery and lookup, the signed-in hall landing and
 * logout — server-rendered on the same services as the identity API.
 */
@Module({
  imports: [IdentityModule, PortalModule, TenancyModule, VerificationModule, ProfilesModule, CaCoreModule],
  controllers: [RegistrationPageController, LoginPageController, HallPageController, RecoveryPageController],
  providers: [HallPageGuard, QrPageGuard],
})
export class IdentityPagesModule {}
