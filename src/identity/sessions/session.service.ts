import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditLog, type RequestOrigin } from '#src/audit/audit-log.js';
import { CLOCK, type Clock } from '#src/clock/clock.js';
import { SESSION_STORE, type ActorKind, type SessionData, type SessionRealm, type SessionStore } from '#src/identity/sessions/session-store.js';
import type { Tenant } from '#src/tenancy/tenant.js';

/** A touch writes at most this often: a page load is not a database write. */
const TOUCH_EVERY_MS = 60_000;

export interface OpenedSession {
  /** The cookie value: shown once, stored only as its hash. */
  id: string;
  data: SessionData;
}

export interface LiveSession {
  idHash: Buffer;
  data: SessionData;
}

export interface SessionActor {
  kind: ActorKind;
  id: string;
  unitId?: string | undefined;
}

/** The hall and the procurement subsystem have cookies of their own, per province (DESIGN.md). */
const COOKIE_PREFIX: Record<SessionRealm, string> = { hall: 'pe_hall', procurement: 'pe_tps', admin: 'pe_admin' };

export function sessionCookieName(realm: SessionRealm, provinceId: string): string {
  return `${COOKIE_PREFIX[realm]}_${provinceId}`;
}

export function hashSessionId(id: string): Buffer {
  return createHash('sha256').update(id).digest();
}

/**
 * Opens, reads and ends sessions under the profile's policy (idle and absolute timeouts, single
 * device). A new id at every login: a session id planted before login is worthless after it.
 */
@Injectable()
export class SessionService {
  constructor(
    @Inject(SESSION_STORE) private readonly store: SessionStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AuditLog) private readonly audit: AuditLog,
  ) {}

  async open(tenant: Tenant, realm: SessionRealm, actor: SessionActor, method: string, previousId?: string): Promise<OpenedSession> {
    const policy = tenant.profile.session;
    if (previousId) await this.store.delete(hashSessionId(previousId));
    if (policy.singleDevice) await this.store.deleteByActor(actor.kind, actor.id, { provinceId: tenant.provinceId, realm });
    const now = this.clock.now().getTime();
    const data: SessionData = {
      provinceId: tenant.provinceId,
      realm,
      actorKind: actor.kind,
      actorId: actor.id,
      unitId: actor.unitId,
      method,
      createdAt: now,
      lastSeenAt: now,
      idleExpiresAt: now + policy.idleMinutes * 60_000,
      absoluteExpiresAt: now + policy.absoluteHours * 3_600_000,
    };
    const id = randomBytes(32).toString('base64url');
    await this.store.create(hashSessionId(id), data);
    return { id, data };
  }

  /** The live session behind a cookie value for this province and realm, touched; undefined when none. */
  async read(tenant: Tenant, realm: SessionRealm, id: string | undefined): Promise<LiveSession | undefined> {
    if (!id || !/^[\w-]{43}$/.test(id)) return undefined;
    const idHash = hashSessionId(id);
    const data = await this.store.get(idHash);
    if (data?.provinceId !== tenant.provinceId || data.realm !== realm) return undefined;
    const now = this.clock.now().getTime();
    if (now >= data.idleExpiresAt || now >= data.absoluteExpiresAt) {
      await this.store.delete(idHash);
      return undefined;
    }
    if (now - data.lastSeenAt >= TOUCH_EVERY_MS) {
      const touched = { ...data, lastSeenAt: now, idleExpiresAt: Math.min(now + tenant.profile.session.idleMinutes * 60_000, data.absoluteExpiresAt) };
      await this.store.update(idHash, touched);
      return { idHash, data: touched };
    }
    return { idHash, data };
  }

  async update(session: LiveSession, change: Partial<Pick<SessionData, 'unitId'>>): Promise<SessionData> {
    const data = { ...session.data, ...change };
    await this.store.update(session.idHash, data);
    return data;
  }

  /** Logout: the session ends and the trail says so. */
  async end(session: LiveSession, origin: RequestOrigin): Promise<void> {
    await this.store.delete(session.idHash);
    const { provinceId, actorKind, actorId, unitId } = session.data;
    await this.audit.record(provinceId, origin, { kind: 'session.closed', outcome: 'success', actorKind, actorId, unitId });
  }

  /** Password changed, account disabled: every session of the actor ends, everywhere. */
  endAllOf(kind: ActorKind, id: string): Promise<number> {
    return this.store.deleteByActor(kind, id);
  }
}
