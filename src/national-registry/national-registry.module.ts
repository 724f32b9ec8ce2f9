import { Module } from '@nestjs/common';
import { DevToolsGuard } from '#src/dev-tools/dev-tools.guard.js';
import { DatabaseNationalRegistry } from '#src/national-registry/database-national-registry.js';
import { INSURANCE_CORE, NATIONAL_REGISTRY } from '#src/national-registry/national-registry.port.js';
import { RegistryDevController } from '#src/national-registry/registry-dev.controller.js';
import { ProfilesModule } from '#src/profiles/profiles.module.js';

/**
 * The national coding registry port (N-4), answered by the database adapter. A national-platform
 * adapter would be provided under the same token instead, chosen by configuration.
 */
@Module({
  imports: [ProfilesModule],
  controllers: [RegistryDevController],
  providers: [DevToolsGuard, DatabaseNationalRegistry, { provide: NATIONAL_REGISTRY, useExisting: DatabaseNationalRegistry }, { provide: INSURANCE_CORE, useExisting: DatabaseNationalRegistry }],
  exports: [NATIONAL_REGISTRY, INSURANCE_CORE],
})
export class NationalRegistryModule {}
