import { Module } from '@nestjs/common';
import { AdministrationModule } from '#src/administration/administration.module.js';
import { AuditModule } from '#src/audit/audit.module.js';
import { AdminCaBindingRequestsController, CaChallengeController, HallCaBindingRequestsController, ProcurementCaBindingsController } from '#src/ca/ca.controller.js';
import { CaCoreModule } from '#src/ca/ca-core.module.js';
import { HallBindingRequests } from '#src/ca/hall/hall-binding-requests.js';
import { AdminCaBindingsPageController, HallCaBindingPageController, ProcurementCaBindingsPageController, ProcurementCaLoginPageController } from '#src/ca/pages/ca-pages.controller.js';
import { IdentityModule } from '#src/identity/identity.module.js';
import { PortalModule } from '#src/portal/portal.module.js';
import { ProcurementModule } from '#src/procurement/procurement.module.js';
import { ProfilesModule } from '#src/profiles/profiles.module.js';
import { TenancyModule } from '#src/tenancy/tenancy.module.js';

/**
 * CA certificates (HN-1, HN-8, HN-11, HN-12, HN-13): the challenge route, 网厅 binding requests and
 * their review by the province administrator, 账号管理 CA绑定/CA解绑 in procurement, and the pages.
 * The logins themselves run in LoginService and ProcurementLoginService through CaCoreModule.
 */
@Module({
  imports: [CaCoreModule, IdentityModule, ProcurementModule, AdministrationModule, AuditModule, PortalModule, ProfilesModule, TenancyModule],
  controllers: [
    CaChallengeController,
    ProcurementCaBindingsController,
    HallCaBindingRequestsController,
    AdminCaBindingRequestsController,
    HallCaBindingPageController,
    AdminCaBindingsPageController,
    ProcurementCaBindingsPageController,
    ProcurementCaLoginPageController,
  ],
  providers: [HallBindingRequests],
})
export class CaModule {}
