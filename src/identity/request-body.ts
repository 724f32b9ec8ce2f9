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
