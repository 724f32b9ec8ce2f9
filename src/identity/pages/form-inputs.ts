/**
 * One labelled input of an identity page, built from a field of the registration form's JSON Schema
 * (registrationFormSchema, the same source as the API) or written by a page: the HTML type from the
 * format, the schema's pattern and lengths as attributes, its hint, and its error with
 * aria-invalid / aria-describedby. Rendered by templates/partials/form-input.hbs.
 */
import { LONG_TERM } from '#src/identity/checks/cn-id-number.js';
import type { FieldSchema } from '#src/identity/registration/registration-form.js';
import { confirmedField } from '#src/identity/registration/registration-body.js';

export interface InputView {
  /** The element id, `f-` + the name with dots as dashes. */
  id: string;
  name: string;
  label: string;
  control: 'input' | 'select';
  type: string;
  required: boolean;
  value: string;
  pattern?: string | undefined;
  minLength?: number | undefined;
  maxLength?: number | undefined;
  options?: Array<{ value: string; label: string; selected: boolean }> | undefined;
  hint?: string | undefined;
  hintId?: string | undefined;
  error?: string | undefined;
  errorId?: string | undefined;
  describedBy?: string | undefined;
  autocomplete?: string | undefined;
  /** The id of the input a "confirm password" input must equal (identity.js checks it). */
  confirms?: string | undefined;
  /**
   * A date the schema also accepts as 长期 (a long-term ID card's validity end): a date picker cannot
   * hold that word, so a checkbox beside it sends it instead (`<name>.longTerm`).
   */
  longTerm?: { id: string; name: string; value: string; checked: boolean } | undefined;
}

export interface InputState {
  values: Readonly<Record<string, string>>;
  errors: Readonly<Record<string, string>>;
}

const TYPE_OF_FORMAT: Readonly<Record<string, string>> = { password: 'password', date: 'date', 'cn-mobile': 'tel', email: 'email' };
const AUTOCOMPLETE_OF_FORMAT: Readonly<Record<string, string>> = { password: 'new-password', 'cn-mobile': 'tel', email: 'email' };

export function inputId(name: string): string {
  return `f-${name.replace(/\./g, '-')}`;
}

/** An input from a schema field. Password inputs never get their value back. */
export function schemaInput(name: string, schema: FieldSchema, required: boolean, state: InputState): InputView {
  const format = schema.format ?? 'text';
  const isPassword = format === 'password';
  const [section, key] = name.includes('.') ? [name.slice(0, name.lastIndexOf('.') + 1), name.slice(name.lastIndexOf('.') + 1)] : ['', name];
  const confirmed = confirmedField(key);
  const longTerm = format === 'date' && schema.pattern !== undefined && new RegExp(schema.pattern).test(LONG_TERM);
  const longTermChecked = longTerm && state.values[`${name}.longTerm`] === LONG_TERM;
  const view: Omit<InputView, 'id'> & { id?: string } = {
    name,
    label: schema.title,
    control: schema.oneOf ? 'select' : 'input',
    type: TYPE_OF_FORMAT[format] ?? 'text',
    required,
    value: isPassword || longTermChecked ? '' : (state.values[name] ?? ''),
    // A date input has its own picker and sends YYYY-MM-DD; the pattern would only get in its way.
    pattern: format === 'date' || schema.oneOf ? undefined : schema.pattern,
    minLength: schema.oneOf ? undefined : schema.minLength,
    maxLength: schema.oneOf ? undefined : schema.maxLength,
    options: schema.oneOf?.map((o) => ({ value: o.const, label: o.title, selected: o.const === (state.values[name] ?? '') })),
    // "Confirm password" repeats the field before it: its policy hint would only be said twice.
    // The checkbox says 长期 itself; the schema's "填“长期”" is for API clients.
    hint: confirmed || longTerm ? undefined : schema.description,
    autocomplete: AUTOCOMPLETE_OF_FORMAT[format],
    longTerm: longTerm ? { id: `long-term-${inputId(name)}`, name: `${name}.longTerm`, value: LONG_TERM, checked: longTermChecked } : undefined,
    confirms: confirmed ? inputId(section + confirmed) : undefined,
  };
  return finish(view, state);
}

/** An input a page defines itself (login account, new password…). */
export function plainInput(spec: Omit<InputView, 'id' | 'value' | 'control' | 'hintId' | 'errorId' | 'describedBy' | 'error'> & { control?: InputView['control'] }, state: InputState): InputView {
  const value = spec.type === 'password' ? '' : (state.values[spec.name] ?? '');
  return finish({ ...spec, control: spec.control ?? 'input', value }, state);
}

function finish(view: Omit<InputView, 'id'> & { id?: string }, state: InputState): InputView {
  const id = inputId(view.name);
  const error = state.errors[view.name];
  const hintId = view.hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return { ...view, id, error, hintId, errorId, describedBy };
}

/** The summary at the top of a form: each message, linked to its input when the page has one. */
export function errorSummary(errors: Readonly<Record<string, string>>, inputs: readonly InputView[]): Array<{ text: string; href?: string | undefined }> {
  const byName = new Map(inputs.map((input) => [input.name, input]));
  return Object.entries(errors).map(([name, message]) => {
    const input = byName.get(name);
    return input ? { text: `${input.label}：${message}`, href: `#${input.id}` } : { text: message };
  });
}
