import type { MigrationInterface } from 'typeorm';
import { ProfileRevisions1764144000000 } from '#migrations/1764144000000-profile-revisions.js';
import { Feedback1764230400000 } from '#migrations/1764230400000-feedback.js';
import { VerificationSms1764230500000 } from '#migrations/1764230500000-verification-sms.js';
import { NationalRegistry1764316800000 } from '#migrations/1764316800000-national-registry.js';
import { Identity1764316900000 } from '#migrations/1764316900000-identity.js';
import { HallCertifications1764403200000 } from '#migrations/1764403200000-hall-certifications.js';
import { ProcurementEntry1764489600000 } from '#migrations/1764489600000-procurement-entry.js';
import { ProcurementRoles1764576100000 } from '#migrations/1764576100000-procurement-roles.js';
import { ProvinceAdministrators1764489700000 } from '#migrations/1764489700000-province-administrators.js';
import { Ca1764576000000 } from '#migrations/1764576000000-ca.js';
import { ProductCatalogue1764576200000 } from '#migrations/1764576200000-product-catalogue.js';
import { DistributorRegistrations1764835200000 } from '#migrations/1764835200000-distributor-registrations.js';
import { ClusterState1764748800000 } from '#migrations/1764748800000-cluster-state.js';

/**
 * Every migration, oldest first. Listed by hand rather than globbed: a glob loads files at run time,
 * which neither ESM builds nor Jest resolve reliably, and a list makes a forgotten import visible.
 */
export const MIGRATIONS: ReadonlyArray<new () => MigrationInterface> = [ProfileRevisions1764144000000, Feedback1764230400000, VerificationSms1764230500000, NationalRegistry1764316800000, Identity1764316900000, HallCertifications1764403200000, ProcurementEntry1764489600000, ProvinceAdministrators1764489700000, Ca1764576000000, ProcurementRoles1764576100000, ProductCatalogue1764576200000, ClusterState1764748800000, DistributorRegistrations1764835200000];
