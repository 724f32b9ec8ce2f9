import { Module } from '@nestjs/common';
import { AdministrationModule } from '#src/administration/administration.module.js';
import { AuditModule } from '#src/audit/audit.module.js';
import { CaCoreModule } from '#src/ca/ca-core.module.js';
import { ProcurementCaBindings } from '#src/ca/procurement/procurement-ca-bindings.js';
import { ProcurementCaLogin } from '#src/ca/procurement/procurement-ca-login.js';
import { HallModule } from '#src/hall/hall.module.js';
import { IdentityModule } from '#src/identity/identity.module.js';
import { NationalRegistryModule } from '#src/national-registry/national-registry.module.js';
import { HandoffService } from '#src/procurement/handoff.service.js';
import { LocalAccountsService } from '#src/procurement/local-accounts.service.js';
import { ProcurementAccountsRepository } from '#src/procurement/procurement-accounts.repository.js';
import { AdminDistributorRegistrationsPageController, DistributorRegisterPageController } from '#src/procurement/distributors/distributor-pages.controller.js';
import { DistributorRegistrationsRepository } from '#src/procurement/distributors/distributor-registrations.repository.js';
import { DistributorRegistrationsService } from '#src/procurement/distributors/distributor-registrations.service.js';
import { AdminDistributorRegistrationsController, DistributorRegistrationsController } from '#src/procurement/distributors/distributors.controller.js';
import { ProcurementActorService } from '#src/procurement/procurement-actor.service.js';
import { ProcurementController } from '#src/procurement/procurement.controller.js';
import { ProcurementLoginService } from '#src/procurement/procurement-login.service.js';
import { ProcurementTicketSweeper, ProcurementTicketsRepository } from '#src/procurement/procurement-tickets.repository.js';
import { SpecialInstitutionsAdminController } from '#src/procurement/special-institutions-admin.controller.js';
import { AccountsPageController } from '#src/procurement/pages/accounts-page.controller.js';
import { HandoffPageController } from '#src/procurement/pages/handoff-page.controller.js';
import { ProcurementLoginPageController } from '#src/procurement/pages/procurement-login-page.controller.js';
import { ProcurementPagesController } from '#src/procurement/pages/procurement-pages.controller.js';
import { RolesPageController } from '#src/procurement/pages/roles-page.controller.js';
import { ProductsPageController } from '#src/procurement/pages/products-page.controller.js';
import { SpecialInstitutionsPageController } from '#src/procurement/pages/special-institutions-page.controller.js';
import { PortalModule } from '#src/portal/portal.module.js';
import { ProcurementAbilitiesService } from '#src/procurement/procurement-abilities.service.js';
import { ProcurementPermissionGuard } from '#src/procurement/procurement-permission.guard.js';
import { ProcurementRolesController } from '#src/procurement/roles/procurement-roles.controller.js';
import { ProcurementRolesRepository } from '#src/procurement/roles/procurement-roles.repository.js';
import { ProcurementRolesService } from '#src/procurement/roles/procurement-roles.service.js';
import { ProductsController } from '#src/procurement/products/products.controller.js';
import { ProductsRepository } from '#src/procurement/products/products.repository.js';
import { ProductsService } from '#src/procurement/products/products.service.js';
import { ProfilesModule } from '#src/profiles/profiles.module.js';
import { VerificationModule } from '#src/verification/verification.module.js';
import { TenancyModule } from '#src/tenancy/tenancy.module.js';

/** The procurement subsystem (招采子系统): entry from the hall, its own login page and session, local accounts. */
@Module({
  imports: [AdministrationModule, IdentityModule, HallModule, AuditModule, NationalRegistryModule, ProfilesModule, TenancyModule, PortalModule, VerificationModule, CaCoreModule],
  controllers: [DistributorRegistrationsController, AdminDistributorRegistrationsController, DistributorRegisterPageController, AdminDistributorRegistrationsPageController, ProcurementController, ProcurementRolesController, ProductsController, SpecialInstitutionsAdminController, HandoffPageController, ProcurementPagesController, ProcurementLoginPageController, SpecialInstitutionsPageController, RolesPageController, AccountsPageController, ProductsPageController],
  providers: [DistributorRegistrationsRepository, DistributorRegistrationsService, ProcurementAbilitiesService, ProcurementPermissionGuard, ProcurementRolesRepository, ProcurementRolesService, ProductsRepository, ProductsService, HandoffService, ProcurementLoginService, ProcurementActorService, LocalAccountsService, ProcurementAccountsRepository, ProcurementTicketsRepository, ProcurementTicketSweeper, ProcurementCaLogin, ProcurementCaBindings],
  exports: [ProcurementRolesService, ProcurementAbilitiesService, ProcurementPermissionGuard, HandoffService, ProcurementActorService, ProcurementLoginService, LocalAccountsService, ProcurementCaBindings],
})
export class ProcurementModule {}
