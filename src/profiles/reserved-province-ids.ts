/**
 * First path segments the app routes itself (`/api`, `/compare`, `/support` on a province's own
 * host…): a province with one of these ids would be shadowed by them, so the profile check refuses
 * it. test/e2e/route-policies keeps this list in step with the routes.
 */
export const RESERVED_PROVINCE_IDS: ReadonlySet<string> = new Set([
  'admin', 'api', 'assets', 'compare', 'dev', 'faq', 'feedback', 'health', 'metrics', 'support',
  // The identity pages (src/identity/pages): registration, login, QR confirmation, choices, recovery, the hall.
  'choose-institution', 'choose-unit', 'hall', 'login', 'logout', 'lookup', 'qr', 'recover', 'register',
  // The hall's pages (src/hall) and the procurement subsystem's (src/procurement).
  'certify', 'procurement',
]);
