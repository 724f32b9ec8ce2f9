import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '#src/audit/audit.module.js';
import { AdminProfilesController } from '#src/profiles/admin-profiles.controller.js';
import { ProvincesController } from '#src/profiles/provinces.controller.js';
import { ProfileRegistry, REVISION_RECORDER } from '#src/profiles/profile-registry.service.js';
import { ProfileRevision } from '#src/profiles/profile-revision.entity.js';
import { ProfileRevisionsService } from '#src/profiles/profile-revisions.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([ProfileRevision]), AuditModule],
  controllers: [ProvincesController, AdminProfilesController],
  providers: [ProfileRevisionsService, { provide: REVISION_RECORDER, useExisting: ProfileRevisionsService }, ProfileRegistry],
  exports: [ProfileRegistry],
})
export class ProfilesModule {}
