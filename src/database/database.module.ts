import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '#src/config/app-config.js';
import { dataSourceOptions, isTransientConnectError } from '#src/database/data-source-options.js';
import { EmbeddedDatabase } from '#src/database/embedded-database.js';

export const EMBEDDED_DATABASE = Symbol('EMBEDDED_DATABASE');

/** Closes PGlite (and frees its lock) at shutdown, after the data source that uses it. */
@Injectable()
class EmbeddedDatabaseCloser implements OnApplicationShutdown {
  constructor(@Inject(EMBEDDED_DATABASE) private readonly embedded: EmbeddedDatabase | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.embedded?.close();
  }
}

/**
 * TypeORM on the configured database, migrated at start (never synchronized). `embedded` is the
 * opened PGlite when the config names it, else undefined (a real server).
 */
@Module({})
export class DatabaseModule {
  static forRoot(embedded: EmbeddedDatabase | undefined): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            ...dataSourceOptions(config, embedded),
            autoLoadEntities: true,
            retryAttempts: embedded ? 1 : 5,
            retryDelay: 1000,
            toRetry: isTransientConnectError,
          }),
          dataSourceFactory: (options) => {
            if (!options) throw new Error('TypeORM options missing');
            const dataSource = new DataSource(options);
            embedded?.attach(dataSource);
            return Promise.resolve(dataSource);
          },
        }),
      ],
      providers: [{ provide: EMBEDDED_DATABASE, useValue: embedded ?? null }, EmbeddedDatabaseCloser],
      exports: [EMBEDDED_DATABASE],
    };
  }
}
