import { join, resolve } from 'node:path';
import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#src/config/app-config.js';
import { ComparePageController } from '#src/portal/compare-page.controller.js';
import { ErrorPages } from '#src/portal/error-pages.js';
import { PageRenderer } from '#src/portal/page-renderer.js';
import { PortalAssets } from '#src/portal/portal-assets.js';
import { PortalController } from '#src/portal/portal.controller.js';
import { ViewEngine } from '#src/portal/view-engine.js';
import { ProfileRegistry } from '#src/profiles/profile-registry.service.js';
import { ProfilesModule } from '#src/profiles/profiles.module.js';
import { TenancyModule } from '#src/tenancy/tenancy.module.js';

/** Pages, the view engine and branding. registerPortalHttp() (app factory) adds its Fastify side. */
@Module({
  imports: [ProfilesModule, TenancyModule],
  controllers: [ComparePageController, PortalController],
  providers: [
    // Read and parsed at boot (a template with a syntax error stops the start), and again by every profile reload.
    {
      provide: ViewEngine,
      inject: [APP_CONFIG, ProfileRegistry],
      useFactory: async (config: AppConfig, registry: ProfileRegistry) => {
        const engine = await ViewEngine.load(resolve(config.templatesDir));
        registry.addReloadStep({ prepare: () => engine.prepareReload() });
        return engine;
      },
    },
    { provide: PortalAssets, inject: [APP_CONFIG], useFactory: (config: AppConfig) => PortalAssets.load(join(resolve(config.templatesDir), 'assets')) },
    PageRenderer,
    ErrorPages,
  ],
  exports: [PageRenderer, ErrorPages],
})
export class PortalModule {}
