import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { AuditLog, RequestOrigin } from '#src/audit/audit-log.js';
import type { Clock } from '#src/clock/clock.js';
import { isUniqueViolation } from '#src/database/postgres-errors.js';
import { administrationException, AdministrationErrorCode } from '#src/administration/administration.exception.js';
import { administratorByAccountName, insertAdministrator } from '#src/administration/administrators.repository.js';
import { checkPassword } from '#src/identity/checks/password-policy.js';
import type { PasswordHasher } from '#src/identity/password-hasher.js';
import { isStorableText } from '#src/identity/request-body.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';
import type { ProvinceId } from '#src/tenancy/tenant.js';

/** Starts with a letter, so it can never be read as a mobile number (an operator's account). */
export const ADMIN_ACCOUNT_NAME = /^[A-Za-z][A-Za-z0-9._-]{2,31}$/;
const MAX_DISPLAY_NAME = 64;

export interface NewAdministrator {
  accountName: string;
  displayName?: string | undefined;
  password: string;
}

export interface CreationDeps {
  db: DataSource;
  clock: Clock;
  hasher: PasswordHasher;
  audit: AuditLog;
}

/** The account name and display name of a new administrator, checked before any password is asked. */
export function checkAdministratorAccount(input: Pick<NewAdministrator, 'accountName' | 'displayName'>): void {
  if (!ADMIN_ACCOUNT_NAME.test(input.accountName)) throw administrationException(AdministrationErrorCode.ACCOUNT_NAME_INVALID);
  const displayName = input.displayName?.trim() ?? '';
  if (displayName.length > MAX_DISPLAY_NAME || !isStorableText(displayName)) {
    throw administrationException(AdministrationErrorCode.ACCOUNT_NAME_INVALID, `姓名不能超过 ${MAX_DISPLAY_NAME} 个字，且不能含有无法识别的字符`);
  }
}

/** The province's password policy (registration.passwordPolicy), as for its units' accounts. */
export function checkAdministratorPassword(profile: ProvinceProfile, password: string, accountName: string): void {
  const problem = checkPassword(profile.registration.passwordPolicy, password, accountName);
  if (problem) throw administrationException(AdministrationErrorCode.PASSWORD_INVALID, `${problem}（${profile.registration.passwordPolicy.hint}）`);
}

/**
 * Creates a province administrator (the maintainers' CLI; tests through the same path): checked,
 * hashed with the app's argon2id, inserted with its audit event in one transaction. A name taken
 * in any case is refused, also when another process took it a moment before.
 */
export async function createAdministrator(deps: CreationDeps, profile: ProvinceProfile, input: NewAdministrator, origin: RequestOrigin): Promise<{ id: string; accountName: string }> {
  checkAdministratorAccount(input);
  checkAdministratorPassword(profile, input.password, input.accountName);
  const provinceId = profile.id as ProvinceId;
  if (await administratorByAccountName(deps.db, provinceId, input.accountName)) throw administrationException(AdministrationErrorCode.ACCOUNT_TAKEN);
  const id = randomUUID();
  const passwordHash = await deps.hasher.hash(input.password);
  const trimmed = input.displayName?.trim() ?? '';
  const displayName = trimmed === '' ? null : trimmed;
  try {
    await deps.db.transaction(async (tx) => {
      await insertAdministrator(tx, { id, provinceId, accountName: input.accountName, displayName, passwordHash, createdAt: deps.clock.now() });
      await deps.audit.record(provinceId, origin, { kind: 'administrator.created', outcome: 'success', actorKind: 'maintainer', detail: { administratorId: id, accountName: input.accountName } }, tx);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw administrationException(AdministrationErrorCode.ACCOUNT_TAKEN);
    throw error;
  }
  return { id, accountName: input.accountName };
}
