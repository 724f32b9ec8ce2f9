import { Injectable } from '@nestjs/common';
import { hash, verify, type Options } from '@node-rs/argon2';

/** DESIGN.md (OWASP's second argon2id profile): 19 MiB, 2 passes, 1 lane. */
// 2 = Algorithm.Argon2id: the package's enum is an ambient const enum, which isolatedModules cannot read.
export const ARGON2_PARAMS: Options = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 };

/**
 * Password hashing with argon2id (@node-rs/argon2: native, runs off the event loop). An unknown
 * account is checked against a dummy hash with the same parameters, so it costs the same time as a
 * wrong password and the answer cannot tell them apart.
 */
@Injectable()
export class PasswordHasher {
  private dummy: Promise<string> | undefined;

  hash(password: string): Promise<string> {
    return hash(password, ARGON2_PARAMS);
  }

  async verify(stored: string | undefined, password: string): Promise<boolean> {
    if (stored === undefined) {
      await verify(await this.dummyHash(), password).catch(() => false);
      return false;
    }
    try {
      return await verify(stored, password);
    } catch {
      return false;
    }
  }

  private dummyHash(): Promise<string> {
    this.dummy ??= hash('dummy-password-for-unknown-accounts', ARGON2_PARAMS);
    return this.dummy;
  }
}
