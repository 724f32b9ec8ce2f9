/**
 * Bodies arrive as `unknown` (JSON or a page form) and are read field by field: anything that is
 * not what a field expects reads as absent, and the field's own check then says what is wrong.
 */
export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** One string field of a body. */
export function field(body: unknown, name: string): string {
  return text(asRecord(body)[name]);
}

/** An unpaired UTF-16 surrogate: no character at all (jsonb refuses it; text would store U+FFFD). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Whether PostgreSQL can take the text as a parameter: NUL and lone surrogates fail the query (a 500,
 * found by the identity fuzz test), so they are refused as input before any lookup.
 */
export function isStorableText(value: string): boolean {
  return !value.includes('\u0000') && !LONE_SURROGATE.test(value);
}

/** A mobile number as shown back to its owner: 138****8000. */
export function maskPhone(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : phone;
}
