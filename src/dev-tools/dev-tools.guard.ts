import { Inject, Injectable, NotFoundException, type CanActivate } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#src/config/app-config.js';

/** /api/v1/dev/* exist only with DEV_TOOLS on; otherwise they answer like any unknown route (404). */
@Injectable()
export class DevToolsGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(): boolean {
    if (!this.config.devTools) throw new NotFoundException();
    return true;
  }
}
