import { Module } from '@nestjs/common';
import { AuditModule } from '#src/audit/audit.module.js';
import { CaProofs } from '#src/ca/ca-proofs.service.js';
import { CaStore, CaSweeper } from '#src/ca/ca-store.js';
import { HallCaSignIn } from '#src/ca/hall/hall-ca-sign-in.js';
import { CaTrustStore } from '#src/ca/trust-store.js';
import { ProfilesModule } from '#src/profiles/profiles.module.js';

/**
 * The CA core the login services call into: challenges, the trust store, proofs of a certificate,
 * bindings, the hall's CA sign-in. Imports nothing of identity or procurement, so both can import it
 * (CaModule, with the routes and pages, sits above all three).
 */
@Module({
  imports: [AuditModule, ProfilesModule],
  providers: [CaStore, CaSweeper, CaTrustStore, CaProofs, HallCaSignIn],
  exports: [CaStore, CaTrustStore, CaProofs, HallCaSignIn],
})
export class CaCoreModule {}
