import { Module } from '@nestjs/common';
import { AuditModule } from '#src/audit/audit.module.js';
import { CertificationPageController } from '#src/hall/certification-page.controller.js';
import { CertificationService } from '#src/hall/certification.service.js';
import { CertificationsRepository } from '#src/hall/certifications.repository.js';
import { HallController } from '#src/hall/hall.controller.js';
import { OperatorsPageController } from '#src/hall/pages/operators-page.controller.js';
import { UnitPageController } from '#src/hall/pages/unit-page.controller.js';
import { OperatorsService } from '#src/hall/operators.service.js';
import { UnitManagementService } from '#src/hall/unit-management.service.js';
import { IdentityModule } from '#src/identity/identity.module.js';
import { HallPageGuard } from '#src/identity/pages/hall-page.guard.js';
import { NationalRegistryModule } from '#src/national-registry/national-registry.module.js';
import { PortalModule } from '#src/portal/portal.module.js';
import { ProfilesModule } from '#src/profiles/profiles.module.js';
import { TenancyModule } from '#src/tenancy/tenancy.module.js';
import { VerificationModule } from '#src/verification/verification.module.js';

/** The unit's hall after login: role certification first (the operators, hand-off and the rest follow). */
@Module({
  imports: [IdentityModule, AuditModule, NationalRegistryModule, ProfilesModule, TenancyModule, PortalModule, VerificationModule],
  controllers: [HallController, CertificationPageController, OperatorsPageController, UnitPageController],
  providers: [CertificationService, CertificationsRepository, OperatorsService, UnitManagementService, HallPageGuard],
  exports: [CertificationService, CertificationsRepository, OperatorsService, UnitManagementService],
})
export class HallModule {}
