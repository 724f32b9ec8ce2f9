import { Module } from '@nestjs/common';
import { ProfilesModule } from '#src/profiles/profiles.module.js';
import { TenancyService } from '#src/tenancy/tenancy.service.js';
import { TenantInterceptor } from '#src/tenancy/tenant.interceptor.js';

@Module({
  imports: [ProfilesModule],
  providers: [TenancyService, TenantInterceptor],
  exports: [TenancyService, TenantInterceptor],
})
export class TenancyModule {}
