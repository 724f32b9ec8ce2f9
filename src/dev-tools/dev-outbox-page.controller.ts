import { Controller, Get, Header, Inject, Query, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DevToolsGuard } from '#src/dev-tools/dev-tools.guard.js';
import { devOutboxView } from '#src/dev-tools/dev-outbox.view.js';
import { PageRenderer } from '#src/portal/page-renderer.js';
import { ProfileRegistry } from '#src/profiles/profile-registry.service.js';
import { OutboxSmsProvider } from '#src/sms/providers/outbox-sms.provider.js';

/** The dev outbox as a page: a newcomer walking the registration journey reads their code here. */
@ApiExcludeController()
@UseGuards(DevToolsGuard)
@Controller('dev')
export class DevOutboxPageController {
  constructor(
    @Inject(OutboxSmsProvider) private readonly outbox: OutboxSmsProvider,
    @Inject(PageRenderer) private readonly pages: PageRenderer,
    @Inject(ProfileRegistry) private readonly registry: ProfileRegistry,
  ) {}

  @Get('sms-outbox')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  async page(@Query('phone') phone?: string): Promise<string> {
    const wanted = (phone ?? '').trim();
    const entries = await this.outbox.list({ phone: wanted === '' ? undefined : wanted });
    const m = this.pages.messages(undefined);
    return this.pages.render({ page: 'dev-sms-outbox', title: m['devOutbox.title'], view: devOutboxView(entries, wanted, m, (id) => this.registry.find(id)) });
  }
}
