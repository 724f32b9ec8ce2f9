/**
 * Turns profile files into resolved, validated profiles — or into every problem they have, each
 * located at its file, line and column. Pure: no I/O, so the CLI, the registry, tests and the bench
 * all compile exactly the same way.
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { parseProfileSource, type ProfileSource } from '#src/profiles/profile-source.js';
import { mergeLayers, type OriginMap } from '#src/profiles/profile-merge.js';
import { validateProfile, type SchemaViolation } from '#src/profiles/profile-validator.js';
import { crossCheck, duplicateIds } from '#src/profiles/profile-cross-checks.js';
import { compareIssues, dedupeIssues, type ProfileIssue } from '#src/profiles/profile-issue.js';
import { fromPointer, toPointer } from '#src/profiles/json-pointer.js';
import type { ProvinceProfile } from '#src/profiles/profile.schema.js';

export const NATIONAL_FILE = '_national.yaml';

export interface ProfileFile {
  /** Path as shown in messages, e.g. provinces/hunan.yaml. */
  path: string;
  text: string;
}

export interface CompiledProfile {
  profile: ProvinceProfile;
  /** JSON pointers of the resolved profile whose value the province file sets; the rest is inherited. */
  overridden: ReadonlySet<string>;
  /** sha256 of the resolved profile, to record when a changed profile went live. */
  hash: string;
  files: { national: string; province: string };
}

/**
 * A compiled profile while the compile runs: it can still say where a value is written. Only the
 * compiled part outlives the compile — the parsed YAML documents and the origin map would hold
 * ~300 KiB per province in the registry for nothing (bench/profiles measures it).
 */
interface Candidate {
  compiled: CompiledProfile;
  locate: (pointer: string) => { file: string; line: number; col: number };
}

export interface CompileResult {
  profiles: CompiledProfile[];
  issues: ProfileIssue[];
}

/** What the files refer to outside themselves, listed by the caller (this module does no I/O). */
export interface CompileContext {
  /** SMS templates on disk; when given, every purpose in sms.purposes must have one. */
  smsTemplates?: SmsTemplateSet;
}

export interface SmsTemplateSet {
  /** The templates folder as shown in messages, e.g. `templates`. */
  dir: string;
  /** Purposes with a shared template: `<dir>/sms/<purpose>.hbs`. */
  shared: ReadonlySet<string>;
  /** Purposes a province overrides: `<dir>/provinces/<id>/sms/<purpose>.hbs`. */
  byProvince: ReadonlyMap<string, ReadonlySet<string>>;
}

export function compileProfiles(national: ProfileFile, provinces: readonly ProfileFile[], context: CompileContext = {}): CompileResult {
  const issues: ProfileIssue[] = [];
  const base = parseProfileSource(national.path, national.text);
  issues.push(...base.issues);
  if (base.source) issues.push(...locateAll(duplicateIds(base.source.data), base.source));

  const candidates: Candidate[] = [];
  for (const file of provinces) {
    const parsed = parseProfileSource(file.path, file.text);
    issues.push(...parsed.issues);
    if (!parsed.source || !base.source) continue;
    const ownIssues = locateAll(duplicateIds(parsed.source.data), parsed.source);
    issues.push(...ownIssues);
    const candidate = resolve(base.source, parsed.source, issues, context);
    if (candidate && ownIssues.length === 0) candidates.push(candidate);
  }
  issues.push(...setIssues(candidates));

  const failed = new Set(issues.map((i) => i.file));
  return {
    // A national-file problem fails every province; a province problem fails that province.
    profiles: failed.has(national.path) ? [] : candidates.map((c) => c.compiled).filter((p) => !failed.has(p.files.province)),
    issues: dedupeIssues(issues).sort(compareIssues),
  };
}

function resolve(base: ProfileSource, own: ProfileSource, issues: ProfileIssue[], context: CompileContext): Candidate | undefined {
  const { value, origins } = mergeLayers([
    { file: base.file, data: base.data },
    { file: own.file, data: own.data },
  ]);
  const sources = new Map([
    [base.file, base],
    [own.file, own],
  ]);
  const locate = (violation: SchemaViolation): ProfileIssue => locateThroughOrigins(violation, origins, sources, own);

  const { profile, violations } = validateProfile(value);
  const found = [...violations, ...crossCheck(value)];
  const expectedId = basename(own.file).replace(/\.ya?ml$/, '');
  if (profile && profile.id !== expectedId) found.push({ path: ['id'], at: 'value', message: `省份标识 "${profile.id}" 与文件名 "${expectedId}" 不一致` });
  if (profile && context.smsTemplates) found.push(...missingSmsTemplates(profile, context.smsTemplates));
  if (!profile || found.length > 0) {
    issues.push(...found.map(locate));
    return undefined;
  }
  const hash = createHash('sha256').update(JSON.stringify(profile)).digest('hex');
  const overridden = new Set([...origins].filter(([, origin]) => origin.file === own.file).map(([pointer]) => pointer));
  return {
    compiled: { profile, overridden, hash, files: { national: base.file, province: own.file } },
    locate: (pointer) => {
      const { file, line, col } = locate({ path: fromPointer(pointer), at: 'value', message: '' });
      return { file, line, col };
    },
  };
}

/** A purpose the province texts for needs a template: caught here rather than as a failed send. */
function missingSmsTemplates(profile: ProvinceProfile, templates: SmsTemplateSet): SchemaViolation[] {
  const own = templates.byProvince.get(profile.id);
  return profile.sms.purposes.flatMap((purpose, i) =>
    templates.shared.has(purpose) || own?.has(purpose)
      ? []
      : [{ path: ['sms', 'purposes', i], at: 'value' as const, message: `缺少短信模板 ${templates.dir}/sms/${purpose}.hbs（或本省的 ${templates.dir}/provinces/${profile.id}/sms/${purpose}.hbs）` }],
  );
}

/** Walk up the resolved path until a pointer whose origin is known, then ask that file where it is. */
function locateThroughOrigins(violation: SchemaViolation, origins: OriginMap, sources: Map<string, ProfileSource>, fallback: ProfileSource): ProfileIssue {
  const pointer = toPointer(violation.path);
  for (let depth = violation.path.length; depth >= 0; depth--) {
    const origin = origins.get(toPointer(violation.path.slice(0, depth)));
    const source = origin && sources.get(origin.file);
    if (origin && source) {
      const exact = depth === violation.path.length;
      const { line, col } = source.locate(origin.path, exact ? violation.at : 'value');
      return { file: source.file, line, col, pointer, message: violation.message };
    }
  }
  const { line, col } = fallback.locate([]);
  return { file: fallback.file, line, col, pointer, message: violation.message };
}

function locateAll(violations: SchemaViolation[], source: ProfileSource): ProfileIssue[] {
  return violations.map((v) => ({ file: source.file, ...source.locate(v.path, v.at), pointer: toPointer(v.path), message: v.message }));
}

/** Ids, codes and hosts identify a province: two files may not claim the same one. */
function setIssues(candidates: readonly Candidate[]): ProfileIssue[] {
  const issues: ProfileIssue[] = [];
  const claimed = new Map<string, string>();
  for (const { compiled, locate } of candidates) {
    const { profile } = compiled;
    const claims: Array<[string, string, string]> = [
      [`code:${profile.code}`, '/code', `行政区划代码 ${profile.code}`],
      ...profile.hosts.map((h, i): [string, string, string] => [`host:${h}`, `/hosts/${i}`, `域名 ${h}`]),
    ];
    for (const [key, pointer, what] of claims) {
      const owner = claimed.get(key);
      if (owner !== undefined) {
        issues.push({ ...locate(pointer), pointer, message: `${what} 已被 ${owner} 使用` });
      } else {
        claimed.set(key, compiled.files.province);
      }
    }
  }
  return issues;
}
