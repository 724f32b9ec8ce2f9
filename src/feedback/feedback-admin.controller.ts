import { Controller, Get, Header, Inject, Param, ParseIntPipe, Query, Res, StreamableFile, UseGuards, DefaultValuePipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AdminTokenGuard } from '#src/authz/admin-token.guard.js';
import { FeedbackRepository, type StoredFeedback } from '#src/feedback/feedback.repository.js';
import { feedbackException, FeedbackErrorCode } from '#src/feedback/feedback.exception.js';
import { ProfileRegistry } from '#src/profiles/profile-registry.service.js';
import { tenantOf } from '#src/tenancy/tenant.js';

const MAX_LIST = 100;

/** Province administrators read the feedback their portal received, screenshots included. */
@ApiTags('问题反馈（管理）')
@ApiBearerAuth()
@Controller('api/v1/admin/provinces/:province/feedback')
@UseGuards(AdminTokenGuard)
export class FeedbackAdminController {
  constructor(
    @Inject(FeedbackRepository) private readonly repository: FeedbackRepository,
    @Inject(ProfileRegistry) private readonly registry: ProfileRegistry,
  ) {}

  @Get()
  @ApiOperation({ summary: '最近收到的问题反馈（新的在前）' })
  @ApiQuery({ name: 'limit', required: false, description: `条数，最多 ${MAX_LIST}` })
  list(@Param('province') province: string, @Query('limit', new DefaultValuePipe(20), ParseIntPipe) limit: number): Promise<StoredFeedback[]> {
    const tenant = tenantOf(this.registry.require(province));
    return this.repository.list(tenant.provinceId, Math.min(Math.max(limit, 1), MAX_LIST));
  }

  @Get(':reference')
  @ApiOperation({ summary: '一条问题反馈' })
  async one(@Param('province') province: string, @Param('reference') reference: string): Promise<StoredFeedback> {
    const tenant = tenantOf(this.registry.require(province));
    const found = await this.repository.findByReference(tenant.provinceId, reference);
    if (!found) throw feedbackException(FeedbackErrorCode.FEEDBACK_NOT_FOUND);
    return found;
  }

  @Get(':reference/attachments/:attachmentId')
  @ApiOperation({ summary: '反馈截图（PNG 或 JPEG）' })
  @Header('x-content-type-options', 'nosniff')
  @Header('cache-control', 'private, no-store')
  async attachment(
    @Param('province') province: string,
    @Param('reference') reference: string,
    @Param('attachmentId') attachmentId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const tenant = tenantOf(this.registry.require(province));
    const found = await this.repository.attachmentContent(tenant.provinceId, reference, attachmentId);
    if (!found) throw feedbackException(FeedbackErrorCode.FEEDBACK_ATTACHMENT_NOT_FOUND);
    // Downloaded, never rendered in the site's origin: the stored bytes came from anyone.
    void reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(found.fileName)}`);
    return new StreamableFile(found.content, { type: found.mediaType, length: found.content.length });
  }
}
