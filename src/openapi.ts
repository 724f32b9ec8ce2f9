import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export const API_TITLE = '省级医保服务大厅引擎 API';

/** Swagger UI at /api/docs, the OpenAPI 3 document at /api/docs-json. */
export function setupOpenApi(app: NestFastifyApplication): void {
  const document = new DocumentBuilder()
    .setTitle(API_TITLE)
    .setDescription('按省份配置（provinces/*.yaml）提供网上服务大厅与招采子系统的接口。错误统一为 {code, message, fields?}。')
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: '管理接口令牌（ADMIN_TOKEN）' })
    .build();
  // A factory: the document is built on the first request, not at every boot.
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, document), {
    customSiteTitle: API_TITLE,
    jsonDocumentUrl: 'api/docs-json',
    yamlDocumentUrl: 'api/docs-yaml',
  });
}
