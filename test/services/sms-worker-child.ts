/**
 * The kill test's worker process: the standalone SMS worker (the production one, minus its CLI),
 * with short locks so a killed worker's jobs come back quickly, and every provider call appended to
 * a file before it is made — the file survives a SIGKILL.
 */
import { appendFileSync } from 'node:fs';
import { loadConfig } from '#src/config/load-config.js';
import { startStandaloneWorker } from '#src/sms/sms-worker-runtime.js';

const callsLog = process.env.PROVIDER_CALLS_LOG ?? '';
const worker = await startStandaloneWorker(loadConfig(process.env), {
  worker: { concurrency: 8, lockDurationMs: 3000, stalledIntervalMs: 1000 },
  wrapProvider: (provider) => ({
    name: provider.name,
    send: (sms) => {
      appendFileSync(callsLog, `${sms.messageId}\n`);
      return provider.send(sms);
    },
  }),
});
await worker.worker.worker.waitUntilReady();
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void worker.close().then(() => process.exit(0));
});
