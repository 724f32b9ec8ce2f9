import { Module } from '@nestjs/common';
import { AuditModule } from '#src/audit/audit.module.js';
import { AdminEntryPageController, AdminPagesController } from '#src/administration/admin-pages.controller.js';
import { AdminSessionController } from '#src/administration/admin-session.controller.js';
import { AdminSessionGuard } from '#src/administration/admin-session.guard.js';
import { AdminSignInService } from '#src/administration/admin-sign-in.service.js';
import { AdministrationController } from '#src/administration/administration.controller.js';
import { AdministratorGuard, AdministratorPageGuard } from '#src/administration/administrator.guard.js';
import { AdministratorsRepository } from '#src/administration/administrators.repository.js';
import { AuditTrailRepository } from '#src/administration/audit-trail.repository.js';
import { AuditTrailService } from '#src/administration/audit-trail.service.js';
import { DirectoryRepository } from '#src/administration/directory.repository.js';
import { DirectoryService } from '#src/administration/directory.service.js';
import { IdentityModule } from '#src/identity/identity.module.js';
import { PortalModule } from '#src/portal/portal.module.js';
import { ProfilesModule } from '#src/profiles/profiles.module.js';
import { TenancyModule } from '#src/tenancy/tenancy.module.js';
import { VerificationModule } from '#src/verification/verification.module.js';

/**
 * Province administrators (医保局 staff, one province each): their sign-in and sessions (the admin
 * realm), read views of their province's units, operators and certifications, and its audit trail
 * with CSV export. Accounts are made by the maintainers' CLI (src/cli/admin-create.ts).
 */
@Module({
  imports: [IdentityModule, AuditModule, ProfilesModule, TenancyModule, PortalModule, VerificationModule],
  controllers: [AdminSessionController, AdministrationController, AdminEntryPageController, AdminPagesController],
  providers: [AdministratorsRepository, AdminSignInService, AdminSessionGuard, AdministratorGuard, AdministratorPageGuard, DirectoryRepository, DirectoryService, AuditTrailRepository, AuditTrailService],
  // For other rooms' administrator routes (the review queues): the session and an administrator still active.
  exports: [AdminSessionGuard, AdminSignInService, AdministratorGuard],
})
export class AdministrationModule {}
