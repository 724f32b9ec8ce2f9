/**
 * The one exception model: each domain defines a code enum and a table giving every code its HTTP
 * status and Chinese message (a `Record` over the enum, so a new code cannot be left unmapped);
 * AppExceptionFilter turns any of them into `{code, message, fields?}`.
 */
export interface ErrorSpec {
  status: number;
  /** Shown to people: Simplified Chinese. */
  message: string;
}

export type ErrorTable<Code extends string> = Readonly<Record<Code, ErrorSpec>>;

export class AppException<Code extends string = string> extends Error {
  readonly status: number;

  constructor(
    readonly code: Code,
    spec: ErrorSpec,
    /** Overrides the table's message with a more specific one (still Chinese). */
    detail?: string,
    readonly fields?: Record<string, string>,
    readonly extra?: Record<string, unknown>,
  ) {
    super(detail ?? spec.message);
    this.name = 'AppException';
    this.status = spec.status;
  }
}

/** Builds a domain's exception factory from its table. */
export function exceptionFactory<Code extends string>(table: ErrorTable<Code>) {
  return (code: Code, detail?: string, fields?: Record<string, string>, extra?: Record<string, unknown>) =>
    new AppException<Code>(code, table[code], detail, fields, extra);
}
