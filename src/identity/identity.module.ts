import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { AuditModule } from '#src/audit/audit.module.js';
import { CaCoreModule } from '#src/ca/ca-core.module.js';
import { APP_CONFIG, type AppConfig } from '#src/config/app-config.js';
import { AccountsRepository } from '#src/identity/accounts.repository.js';
import { IdentityController } from '#src/identity/identity.controller.js';
import { IdentitySweeper } from '#src/identity/identity-sweeper.js';
import { LoginLockout } from '#src/identity/login-lockout.js';
import { LOGIN_LOCKOUT, LoginGuardian } from '#src/identity/login/login-guardian.js';
import { LoginService } from '#src/identity/login/login.service.js';
import { QrLoginService } from '#src/identity/login/qr-login.service.js';
import { PasswordHasher } from '#src/identity/password-hasher.js';
import { RecoveryService } from '#src/identity/recovery/recovery.service.js';
import { RegistrationService } from '#src/identity/registration/registration.service.js';
import { PasswordSignIn } from '#src/identity/login/password-sign-in.js';
import { HallSessionGuard } from '#src/identity/sessions/hall-session.guard.js';
import { PgSessionStore } from '#src/identity/sessions/pg-session-store.js';
import { RedisSessionStore } from '#src/identity/sessions/redis-session-store.js';
import { SESSION_STORE } from '#src/identity/sessions/session-store.js';
import { SessionService } from '#src/identity/sessions/session.service.js';
import { SignedInActorService } from '#src/identity/sessions/signed-in-actor.service.js';
import { redisOptionsFromUrl } from '#src/sms/redis-connection.js';
import { NationalRegistryModule } from '#src/national-registry/national-registry.module.js';
import { ProfilesModule } from '#src/profiles/profiles.module.js';
import { TenancyModule } from '#src/tenancy/tenancy.module.js';
import { VerificationModule } from '#src/verification/verification.module.js';

/** Redis for sessions and login lockouts when REDIS_URL is set; null on the embedded default. */
export const IDENTITY_REDIS = Symbol('IDENTITY_REDIS');

@Injectable()
class IdentityRedisCloser implements OnApplicationShutdown {
  constructor(@Inject(IDENTITY_REDIS) private readonly redis: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}

/** Keys of this deployment in a shared Redis (the SMS queues use the same prefix). */
function redisPrefix(config: AppConfig): string {
  return `${config.sms.queuePrefix}:identity`;
}

/**
 * Registration, login (password, credit code, QR), hall sessions, lockout and recovery. Sessions
 * and lockout counters live in PostgreSQL, or in Redis when REDIS_URL is set, so every node of a
 * deployment sees the same ones (DESIGN.md, running on several machines).
 */
@Module({
  imports: [ProfilesModule, TenancyModule, VerificationModule, AuditModule, NationalRegistryModule, CaCoreModule],
  controllers: [IdentityController],
  providers: [
    {
      provide: IDENTITY_REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => (config.redisUrl ? new Redis({ ...redisOptionsFromUrl(config.redisUrl), maxRetriesPerRequest: 2 }) : null),
    },
    IdentityRedisCloser,
    {
      provide: SESSION_STORE,
      inject: [APP_CONFIG, IDENTITY_REDIS, getDataSourceToken()],
      useFactory: (config: AppConfig, redis: Redis | null, db: DataSource) => (redis ? new RedisSessionStore(redis, redisPrefix(config)) : new PgSessionStore(db)),
    },
    {
      provide: LOGIN_LOCKOUT,
      inject: [APP_CONFIG, IDENTITY_REDIS, getDataSourceToken()],
      useFactory: (config: AppConfig, redis: Redis | null, db: DataSource) => (redis ? LoginLockout.redis(redis, redisPrefix(config)) : LoginLockout.postgres(db)),
    },
    AccountsRepository,
    PasswordHasher,
    LoginGuardian,
    SessionService,
    SignedInActorService,
    QrLoginService,
    LoginService,
    RegistrationService,
    RecoveryService,
    HallSessionGuard,
    PasswordSignIn,
    IdentitySweeper,
  ],
  exports: [PasswordSignIn, SessionService, HallSessionGuard, SignedInActorService, AccountsRepository, LoginGuardian, PasswordHasher, RegistrationService, LoginService, QrLoginService, RecoveryService],
})
export class IdentityModule {}
