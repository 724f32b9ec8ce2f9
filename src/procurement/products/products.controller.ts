import { Body, Controller, Delete, Get, Header, Inject, Param, Put, Query, Req, UseInterceptors } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { requestOrigin } from '#src/audit/audit-log.js';
import { RequiresPermission, SignedInProcurementAccount, type SignedInProcurement } from '#src/procurement/procurement-permission.guard.js';
import { ProductsService } from '#src/procurement/products/products.service.js';
import { CurrentTenant } from '#src/tenancy/current-tenant.decorator.js';
import { TenantInterceptor } from '#src/tenancy/tenant.interceptor.js';
import type { Tenant } from '#src/tenancy/tenant.js';

/** 药品交易 → 挂网产品对码 (JL-16): each route is one button of the menu, for manufacturers only (N-3). */
@ApiTags('招采子系统')
@Controller('api/v1/provinces/:province/procurement')
@UseInterceptors(TenantInterceptor)
export class ProductsController {
  constructor(@Inject(ProductsService) private readonly products: ProductsService) {}

  @Get('listed-products')
  @RequiresPermission('product-matching', 'query')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '本单位的挂网产品：?name=&matched=true|false&page=&pageSize=（JL-16）' })
  listed(@CurrentTenant() tenant: Tenant, @SignedInProcurementAccount() signed: SignedInProcurement, @Query() query: Record<string, unknown>) {
    return this.products.listed(tenant, signed, query);
  }

  @Get('national-products')
  @RequiresPermission('product-matching', 'query')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: '查询国家基础产品信息：?keyword=&name=&dosageForm=&specification=&manufacturer=&approvalNumber=&page=&pageSize=（JL-16）' })
  search(@Query() query: Record<string, unknown>) {
    return this.products.search(query);
  }

  @Put('listed-products/:productId/match')
  @RequiresPermission('product-matching', 'match')
  @ApiOperation({ summary: '对码：{nationalProductId}（JL-16）；已对码的须先取消' })
  match(@CurrentTenant() tenant: Tenant, @SignedInProcurementAccount() signed: SignedInProcurement, @Param('productId') productId: string, @Body() body: unknown, @Req() request: FastifyRequest) {
    return this.products.match(tenant, signed, productId, body, requestOrigin(request));
  }

  @Delete('listed-products/:productId/match')
  @RequiresPermission('product-matching', 'unmatch')
  @ApiOperation({ summary: '取消对码（JL-16）' })
  unmatch(@CurrentTenant() tenant: Tenant, @SignedInProcurementAccount() signed: SignedInProcurement, @Param('productId') productId: string, @Req() request: FastifyRequest) {
    return this.products.unmatch(tenant, signed, productId, requestOrigin(request));
  }
}
