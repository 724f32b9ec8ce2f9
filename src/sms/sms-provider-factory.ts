import type { AppConfig } from '#src/config/app-config.js';
import type { Clock } from '#src/clock/clock.js';
import { AliyunSmsProvider } from '#src/sms/providers/aliyun-sms.provider.js';
import type { OutboxSmsProvider } from '#src/sms/providers/outbox-sms.provider.js';
import type { SmsProvider } from '#src/sms/providers/sms-provider.js';
import { describeRedis } from '#src/sms/redis-connection.js';
import { TencentSmsProvider } from '#src/sms/providers/tencent-sms.provider.js';

/** SMS_PROVIDER → the adapter; loadConfig() already refused a provider without its credentials. */
export function createSmsProvider(config: AppConfig, clock: Clock, outbox: OutboxSmsProvider): SmsProvider {
  const { sms } = config;
  switch (sms.provider) {
    case 'outbox':
      return outbox;
    case 'aliyun':
      if (!sms.aliyun) throw new Error('SMS_PROVIDER=aliyun 但缺少阿里云凭据');
      return new AliyunSmsProvider({ ...sms.aliyun, templateIds: sms.templateIds }, clock);
    case 'tencent':
      if (!sms.tencent) throw new Error('SMS_PROVIDER=tencent 但缺少腾讯云凭据');
      return new TencentSmsProvider({ ...sms.tencent, templateIds: sms.templateIds }, clock);
  }
}

/** For the boot log: which queue, which provider, and a warning when the code secret is made up. */
export function describeSmsSetup(config: AppConfig): Array<{ level: 'log' | 'warn'; text: string }> {
  const { sms } = config;
  const lines: Array<{ level: 'log' | 'warn'; text: string }> = [
    {
      level: 'log',
      text: config.redisUrl
        ? `短信队列：BullMQ（Redis ${describeRedis(config.redisUrl)}，前缀 ${sms.queuePrefix}）${sms.worker ? '，本进程投递' : '，本进程只入队，由独立 worker 投递'}`
        : '短信队列：进程内队列（未设置 REDIS_URL；未发出的短信在下次启动时重新入队）',
    },
    {
      level: sms.provider === 'outbox' && config.nodeEnv === 'production' ? 'warn' : 'log',
      text:
        sms.provider === 'outbox'
          ? '短信通道：outbox（只存入发件箱 sms_outbox，不会真正发出）'
          : `短信通道：${sms.provider === 'aliyun' ? `阿里云（${sms.aliyun?.endpoint ?? ''}）` : `腾讯云（${sms.tencent?.endpoint ?? ''}）`}`,
    },
  ];
  if (sms.codeSecretGenerated) lines.push({ level: 'warn', text: '未设置 SMS_CODE_SECRET：已临时生成，重启后未使用的验证码全部失效；多进程部署必须设置同一个值' });
  return lines;
}
