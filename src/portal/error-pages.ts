import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { PageRenderer } from '#src/portal/page-renderer.js';
import { errorView, type ErrorBodyLike } from '#src/portal/views/error.view.js';
import { ProfileRegistry } from '#src/profiles/profile-registry.service.js';
import { TenancyService } from '#src/tenancy/tenancy.service.js';

/** Renders an error the filter has mapped as a Chinese page, branded when the URL names a province. */
@Injectable()
export class ErrorPages {
  constructor(
    @Inject(PageRenderer) private readonly renderer: PageRenderer,
    @Inject(TenancyService) private readonly tenancy: TenancyService,
    @Inject(ProfileRegistry) private readonly registry: ProfileRegistry,
  ) {}

  render(request: FastifyRequest, status: number, body: ErrorBodyLike, csrfRejected: boolean): string {
    const tenant = this.tenancy.fromUrl(request.url, request.host);
    const m = this.renderer.messages(tenant);
    const view = errorView({ status, body, tenant, profiles: this.registry.current().profiles, requestId: request.id, csrfRejected }, m);
    return this.renderer.render({ tenant, page: 'error', title: view.heading, view });
  }
}
