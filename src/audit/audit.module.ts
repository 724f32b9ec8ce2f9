import { Module } from '@nestjs/common';
import { AuditLog } from '#src/audit/audit-log.js';

/** The audit trail every room writes to; province administrators read it (hall issue). */
@Module({ providers: [AuditLog], exports: [AuditLog] })
export class AuditModule {}
