import type { ProvinceId } from '#src/tenancy/tenant.js';

/** Each realm has a cookie of its own (DESIGN.md): the hall, the procurement subsystem, the province administrators. */
export type SessionRealm = 'hall' | 'procurement' | 'admin';
/**
 * Hall sessions belong to a unit account or an operator; procurement sessions to a procurement
 * account (which names the hall actor it came from, if any); admin sessions to a province
 * administrator.
 */
export type ActorKind = HallActorKind | 'procurement-account' | 'administrator';
export type HallActorKind = 'unit' | 'operator';

/** What a session remembers; times are epoch milliseconds of the app's clock. */
export interface SessionData {
  provinceId: ProvinceId;
  realm: SessionRealm;
  actorKind: ActorKind;
  actorId: string;
  /** The unit being worked for: the unit account's own, or the one an operator chose (NM-4, AH-3). */
  unitId?: string | undefined;
  /** How the session was opened: password, credit-code, qr… */
  method: string;
  createdAt: number;
  lastSeenAt: number;
  idleExpiresAt: number;
  absoluteExpiresAt: number;
}

/**
 * Server-side sessions keyed by the SHA-256 of the cookie's random id, so the store never holds a
 * usable cookie. PostgreSQL by default, Redis when REDIS_URL is set: any node serves any request.
 */
export interface SessionStore {
  create(idHash: Buffer, data: SessionData): Promise<void>;
  get(idHash: Buffer): Promise<SessionData | undefined>;
  /** Replaces the data of a live session (touch, unit choice); a deleted one stays deleted. */
  update(idHash: Buffer, data: SessionData): Promise<void>;
  delete(idHash: Buffer): Promise<void>;
  /** Ends every session of an actor (password changed, account disabled), in every province; the count ended. */
  deleteByActor(actorKind: ActorKind, actorId: string, filter?: { provinceId: ProvinceId; realm: SessionRealm }): Promise<number>;
}

export const SESSION_STORE = Symbol('SESSION_STORE');
