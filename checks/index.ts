/**
 * The one registry of checks (STYLE.md rule 4). Order is display order: by layer, then by
 * severity within the layer. Add a check by importing it here; the catalog test verifies
 * that ids equal file paths and that every check has pass and fail fixtures.
 */
import type { Check } from '../src/engine/types.js';
import { check as containerPrivileged } from './container/privileged.js';

export const CHECKS: readonly Check[] = [
  containerPrivileged,
];
