/**
 * HAProxy from Debian's package (`apt-get install haproxy`; `.ci/run` installs it) in front of the
 * app nodes: a generated configuration, run in the foreground as a child, its stats read as CSV.
 * Missing HAProxy fails the run with what to install; it never skips.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnLogged, waitUntilReady, type ClusterProcess } from '#test/support/cluster-processes.js';

export interface BalancedServer {
  /** HAProxy's name for it, answered in the X-Served-By header. */
  name: string;
  port: number;
}

/** Health checks every 500 ms; two failures mark a node down, two successes up again. */
export const CHECK_INTERVAL_MS = 500;
export const CHECK_FALL = 2;
export const CHECK_RISE = 2;

/**
 * The configuration the cluster test runs, and the README's example. Retries, and which requests
 * may be retried on another node:
 * - `conn-failure` (the request never reached a node: refused, reset before sending) is retried for
 *   every method, on the other node (`option redispatch 1`), so a request routed to a dead node in
 *   the second before the health checks notice is served by the live one.
 * - `empty-response` and `response-timeout` (the node took the request and then died or hung) are
 *   retried only for GET and HEAD (`disable-l7-retry` for the rest): a POST that reached a node may
 *   have done its work (an SMS code recorded and queued, a login failure counted, a registration
 *   written), and sending it again would do it twice. That client gets a 502 and may try again
 *   itself, as after any network error. GETs here are safe to replay (a captcha issued twice leaves
 *   one unused row that expires in 2 minutes).
 * The client's address: whatever X-Forwarded-For a client sends is dropped and HAProxy sets its own
 * (`option forwardfor`); the nodes trust it from the balancer only (TRUST_PROXY=127.0.0.1).
 */
export function haproxyConfig(options: { port: number; statsPort: number; servers: BalancedServer[] }): string {
  const servers = options.servers.map(
    ({ name, port }) => `  server ${name} 127.0.0.1:${port} check inter ${CHECK_INTERVAL_MS}ms fall ${CHECK_FALL} rise ${CHECK_RISE}`,
  );
  return [
    'global',
    '  maxconn 1024',
    '  log stdout format raw local0',
    '',
    'defaults',
    '  mode http',
    '  log global',
    // method, path, status, server, retries (+ when redispatched to another server), total ms
    '  log-format "%HM %HU %ST %s %rc %Ta"',
    '  timeout connect 1s',
    '  timeout client 30s',
    '  timeout server 15s',
    '  timeout http-request 10s',
    '  retries 3',
    '  option redispatch 1',
    '  retry-on conn-failure empty-response response-timeout',
    '',
    'frontend hall',
    `  bind 127.0.0.1:${options.port}`,
    '  http-request del-header X-Forwarded-For',
    '  default_backend nodes',
    '',
    'backend nodes',
    '  balance roundrobin',
    '  option forwardfor',
    '  option httpchk GET /health',
    '  http-check expect status 200',
    '  http-request disable-l7-retry unless METH_GET',
    '  http-response set-header X-Served-By %[srv_name]',
    ...servers,
    '',
    'frontend stats',
    `  bind 127.0.0.1:${options.statsPort}`,
    '  stats enable',
    '  stats uri /stats',
    '',
  ].join('\n');
}

/**
 * The `haproxy` binary (Debian puts it in /usr/sbin, which a non-root PATH may lack), or a failure
 * that says what to install.
 */
export function requireHaproxy(): string {
  for (const binary of ['haproxy', '/usr/sbin/haproxy']) {
    const probe = spawnSync(binary, ['-v'], { encoding: 'utf8' });
    if (!probe.error && probe.status === 0) return binary;
  }
  throw new Error(
    'test:cluster 需要 HAProxy（Debian 软件包 haproxy），但找不到 haproxy 命令：' +
      'apt-get update && apt-get install -y --no-install-recommends haproxy（bash .ci/run 会自动安装）',
  );
}

export interface Balancer {
  readonly url: string;
  readonly process: ClusterProcess;
  /** Each server's status as HAProxy's health checks see it: UP, DOWN, or a transition such as "UP 1/2". */
  serverStatus(): Promise<Record<string, string>>;
  /** Polls the stats until `server` reports `status`; returns how long that took. */
  waitForStatus(server: string, status: 'UP' | 'DOWN', deadlineMs: number): Promise<number>;
  /** Every request HAProxy logged so far, in order. */
  accessLog(): LoggedRequest[];
}

export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  server: string;
  /** Attempts after the first (connection failures included). */
  retries: number;
  /** Sent to another server than the first one chosen. */
  redispatched: boolean;
  totalMs: number;
}

const LOGGED = /^([A-Z]+) (\S+) (-?\d+) (\S+) (\+?)(\d+) (-?\d+)$/;

export async function startHaproxy(dir: string, options: { port: number; statsPort: number; servers: BalancedServer[] }): Promise<Balancer> {
  const haproxy = requireHaproxy();
  const configFile = join(dir, 'haproxy.cfg');
  writeFileSync(configFile, haproxyConfig(options));
  const checked = spawnSync(haproxy, ['-c', '-q', '-f', configFile], { encoding: 'utf8' });
  if (checked.status !== 0) throw new Error(`haproxy -c 拒绝了生成的配置：\n${checked.stdout}${checked.stderr}`);
  // -db: foreground, no daemon, so the test owns (and kills) the process.
  const process_ = spawnLogged('haproxy', haproxy, ['-f', configFile, '-db'], {}, join(dir, 'haproxy.log'));

  const serverStatus = async (): Promise<Record<string, string>> => {
    const res = await fetch(`http://127.0.0.1:${options.statsPort}/stats;csv`, { signal: AbortSignal.timeout(1_000) });
    const [header = '', ...rows] = (await res.text()).split('\n');
    const columns = header.replace(/^# /, '').split(',');
    const [proxy, server, status] = ['pxname', 'svname', 'status'].map((name) => columns.indexOf(name));
    const statuses: Record<string, string> = {};
    for (const row of rows) {
      const cells = row.split(',');
      if (cells[proxy ?? -1] === 'nodes' && !['BACKEND', 'FRONTEND'].includes(cells[server ?? -1] ?? '')) statuses[cells[server ?? -1] ?? ''] = cells[status ?? -1] ?? '';
    }
    return statuses;
  };

  const balancer: Balancer = {
    url: `http://127.0.0.1:${options.port}`,
    process: process_,
    serverStatus,
    accessLog: () =>
      readFileSync(process_.logFile, 'utf8')
        .split('\n')
        .flatMap((line) => {
          const [, method = '', path = '', status = '', server = '', plus = '', retries = '', totalMs = ''] = LOGGED.exec(line) ?? [];
          return method ? [{ method, path, status: Number(status), server, retries: Number(retries), redispatched: plus === '+', totalMs: Number(totalMs) }] : [];
        }),
    waitForStatus: (server, status, deadlineMs) => waitUntilReady(process_, `把 ${server} 标记为 ${status}`, async () => (await serverStatus())[server] === status, deadlineMs),
  };
  for (const { name } of options.servers) await balancer.waitForStatus(name, 'UP', 10_000);
  return balancer;
}
