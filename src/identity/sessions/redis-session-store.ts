import type { Redis } from 'ioredis';
import type { ActorKind, SessionData, SessionRealm, SessionStore } from '#src/identity/sessions/session-store.js';
import type { ProvinceId } from '#src/tenancy/tenant.js';

/**
 * Sessions in Redis (REDIS_URL): one JSON value per session, expiring with the session's absolute
 * limit, plus a set per actor so "end every session of this account" needs no scan.
 */
export class RedisSessionStore implements SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async create(idHash: Buffer, s: SessionData): Promise<void> {
    const actorKey = this.actorKey(s.actorKind, s.actorId);
    await this.redis.multi().set(this.key(idHash), JSON.stringify(s), 'PX', ttlMs(s)).sadd(actorKey, idHash.toString('hex')).exec();
    // The actor's set lives as long as its longest session.
    const left = await this.redis.pttl(actorKey);
    if (left < ttlMs(s)) await this.redis.pexpire(actorKey, ttlMs(s));
  }

  async get(idHash: Buffer): Promise<SessionData | undefined> {
    const text = await this.redis.get(this.key(idHash));
    return text ? (JSON.parse(text) as SessionData) : undefined;
  }

  async update(idHash: Buffer, s: SessionData): Promise<void> {
    // XX: a session deleted meanwhile (logout on another node) is not brought back.
    await this.redis.set(this.key(idHash), JSON.stringify(s), 'PX', ttlMs(s), 'XX');
  }

  async delete(idHash: Buffer): Promise<void> {
    const s = await this.get(idHash);
    const multi = this.redis.multi().del(this.key(idHash));
    if (s) multi.srem(this.actorKey(s.actorKind, s.actorId), idHash.toString('hex'));
    await multi.exec();
  }

  async deleteByActor(actorKind: ActorKind, actorId: string, filter?: { provinceId: ProvinceId; realm: SessionRealm }): Promise<number> {
    const actorKey = this.actorKey(actorKind, actorId);
    let ended = 0;
    for (const hex of await this.redis.smembers(actorKey)) {
      const idHash = Buffer.from(hex, 'hex');
      const s = await this.get(idHash);
      if (s && filter && (s.provinceId !== filter.provinceId || s.realm !== filter.realm)) continue;
      await this.redis.multi().del(this.key(idHash)).srem(actorKey, hex).exec();
      if (s) ended += 1;
    }
    return ended;
  }

  private key(idHash: Buffer): string {
    return `${this.prefix}:sess:${idHash.toString('hex')}`;
  }

  private actorKey(kind: ActorKind, id: string): string {
    return `${this.prefix}:sess-actor:${kind}:${id}`;
  }
}

/** Kept until the absolute limit by the app's clock; idle expiry is checked on every read. */
function ttlMs(s: SessionData): number {
  return Math.max(1000, s.absoluteExpiresAt - s.lastSeenAt);
}
