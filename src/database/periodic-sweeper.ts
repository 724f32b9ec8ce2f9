import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';

/**
 * A room's clean-up of rows that can no longer matter, run every `everyMs` on each node (the
 * deletes are idempotent, so nodes sweeping at once do no harm). Subclasses say what to delete.
 */
export abstract class PeriodicSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(this.constructor.name);
  private timer: NodeJS.Timeout | undefined;

  protected constructor(
    private readonly everyMs: number,
    /** What failed, in Chinese, for the warning: 清理过期验证码… */
    private readonly what: string,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.sweep().catch((error: unknown) => this.logger.warn(`${this.what}失败：${String(error)}`));
    }, this.everyMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  abstract sweep(): Promise<void>;
}
