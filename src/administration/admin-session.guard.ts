import { RealmSessionGuard } from '#src/identity/sessions/hall-session.guard.js';

/** Administration routes: a live `admin` session of the route's province (cookie pe_admin_{id}). */
export const AdminSessionGuard = RealmSessionGuard('admin');
export type AdminSessionGuard = InstanceType<typeof AdminSessionGuard>;
