import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'authz:public';

/**
 * Marks a route as open to anyone. Every route needs either this or a guard: the route-coverage
 * test fails otherwise, so a new endpoint cannot go out unprotected by accident.
 */
export const Public = () => SetMetadata(IS_PUBLIC, true);
