import type { FastifyReply } from 'fastify';
import { sessionCookieName, type OpenedSession } from '#src/identity/sessions/session.service.js';
import type { SessionRealm } from '#src/identity/sessions/session-store.js';
import type { Tenant } from '#src/tenancy/tenant.js';

/** httpOnly, SameSite=Lax, Secure whenever the request came over TLS (DESIGN.md, sessions). */
export function setSessionCookie(reply: FastifyReply, tenant: Tenant, opened: OpenedSession): void {
  void reply.setCookie(sessionCookieName(opened.data.realm, tenant.provinceId), opened.id, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: 'auto',
    maxAge: tenant.profile.session.absoluteHours * 3600,
  });
}

export function clearSessionCookie(reply: FastifyReply, tenant: Tenant, realm: SessionRealm): void {
  void reply.clearCookie(sessionCookieName(realm, tenant.provinceId), { path: '/', httpOnly: true, sameSite: 'lax', secure: 'auto' });
}
