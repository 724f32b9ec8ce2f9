/**
 * The national medical-insurance coding registry (国家医保信息业务编码标准数据库, N-4): the only way
 * the rest of the code learns whether a unit's credit code is known, which role types its entry
 * supports and which medical institutions sit under it. Today a database adapter with demo data
 * answers; the national platform can be plugged in later as another adapter of this port.
 */
import type { ProvinceId } from '#src/tenancy/tenant.js';

/** What sort of medical institution an entry under a credit code is (NM-5, AH-6, AH-7). */
export const INSTITUTION_KINDS = ['general', 'main', 'branch', 'military', 'veterans', 'prison'] as const;
export type InstitutionKind = (typeof INSTITUTION_KINDS)[number];

/** Where a stored entry came from: the demo rows of the migration, or `npm run province -- registry import`. */
export const REGISTRY_SOURCES = ['demo', 'import'] as const;
export type RegistrySource = (typeof REGISTRY_SOURCES)[number];

export interface RegistryInstitution {
  /** The national medical-institution code, e.g. H22010100001. */
  code: string;
  name: string;
  kind: InstitutionKind;
}

export interface RegistryEntry {
  /** 统一社会信用代码, 18 characters, upper case. */
  uscc: string;
  name: string;
  /** The province whose region the unit sits in (its GB/T 2260 code's province). */
  provinceId: string;
  /** Role type ids of the profile (manufacturer, distributor, medical-institution, pharmacy) the entry supports. */
  roleTypes: string[];
  /** Medical institutions under this credit code; empty for enterprises and pharmacies. */
  institutions: RegistryInstitution[];
  /**
   * Free text for people (Chinese): the demo rows say which rule they demonstrate (NM-5, AH-6…).
   * Shown by the dev listing; an adapter of the real platform leaves it out.
   */
  note?: string | undefined;
}

export interface NationalRegistry {
  /** The entry for a credit code, or undefined when the registry does not know it. */
  findByUscc(uscc: string): Promise<RegistryEntry | undefined>;
  /** Entries whose unit sits in the province, ordered by credit code (demo listing). */
  listByProvince(provinceId: ProvinceId): Promise<RegistryEntry[]>;
}

/**
 * The insurance core system (医保核心系统), as far as the hall asks it: whether it holds the unit's
 * base data. Where it does not, 单位管理 cannot show or change them, and procurement goes on (XZ-9).
 * Today the demo registry answers (a flag per entry); the core system can be plugged in later.
 */
export interface InsuranceCoreSystem {
  hasUnitBaseData(uscc: string): Promise<boolean>;
}

export const INSURANCE_CORE = Symbol('INSURANCE_CORE');

/** What an import wrote: entries inserted or replaced, and the medical institutions now under them. */
export interface RegistryImportResult {
  entries: number;
  institutions: number;
}

/**
 * An adapter that keeps its own copy of the registry can load rows into it (the CLI's
 * `registry import`). A read-only adapter of the national platform need not implement this.
 */
export interface NationalRegistryImporter {
  /**
   * All or nothing: each entry is inserted or replaced (name, province, role types, note, source),
   * and its institutions become exactly the given ones.
   */
  importRows(rows: readonly RegistryEntry[], source: RegistrySource): Promise<RegistryImportResult>;
}

/** Nest injection token of the port. */
export const NATIONAL_REGISTRY = Symbol('NATIONAL_REGISTRY');
