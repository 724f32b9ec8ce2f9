import { timingSafeEqual, createHash } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Queue } from 'bullmq';

export const BOARD_PATH = '/admin/queues';

/**
 * Bull Board for administrators at /admin/queues. Plain Fastify routes (not Nest controllers), so
 * the route-policy test cannot see them: the admin check is this scope's onRequest hook. A browser
 * gets a Basic prompt (any user name, ADMIN_TOKEN as password); scripts may send the bearer token.
 */
export function mountBullBoard(fastify: FastifyInstance, queue: Queue, adminToken: string | undefined): void {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BOARD_PATH);
  createBullBoard({ queues: [new BullMQAdapter(queue, { readOnlyMode: false })], serverAdapter, options: { uiConfig: { boardTitle: '短信队列' } } });
  // Not awaited: awaiting loads the plugin queue early, before Nest installs its error handler.
  void fastify.register(
    async (scope) => {
      scope.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
        if (isAdmin(request.headers.authorization, adminToken)) return done();
        void reply
          .status(adminToken ? 401 : 403)
          .header('www-authenticate', 'Basic realm="province-engine admin", charset="UTF-8"')
          .header('content-type', 'application/json; charset=utf-8')
          .send(adminToken ? { code: 'ADMIN_TOKEN_INVALID', message: '需要管理令牌（浏览器：用户名任意，密码为 ADMIN_TOKEN）' } : { code: 'ADMIN_DISABLED', message: '管理接口未启用：服务端未配置 ADMIN_TOKEN' });
      });
      await scope.register(serverAdapter.registerPlugin(), { prefix: BOARD_PATH });
    },
  );
}

function isAdmin(header: string | undefined, token: string | undefined): boolean {
  if (!token || !header) return false;
  const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1];
  const basic = /^Basic\s+(.+)$/i.exec(header)?.[1];
  const given = bearer ?? (basic ? Buffer.from(basic, 'base64').toString('utf8').split(':').slice(1).join(':') : '');
  return timingSafeEqual(digest(given), digest(token));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
