import type { ProvinceProfile } from '#src/profiles/profile.schema.js';

/** The role type of N-3 whose enterprises HN-10 lets register at the procurement subsystem. */
export const DISTRIBUTOR_ROLE_TYPE = 'distributor';

/** HN-10: whether distributors register at this province's procurement subsystem (用户注册) rather than the hall. */
export function offersDistributorRegistration(profile: ProvinceProfile): boolean {
  return profile.roleTypes.some((r) => r.id === DISTRIBUTOR_ROLE_TYPE && r.offered && r.registersAt === 'procurement');
}
