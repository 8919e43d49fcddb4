/**
 * Schema validators for the reports the tests produce: the repository's JSON Schema for
 * `--format json` (draft 2020-12) and the official SARIF 2.1.0 schema (draft-04, vendored in
 * schema/vendor with its license) for `--format sarif`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readJson = (path: string): object => JSON.parse(readFileSync(`${root}${path}`, 'utf8')) as object;

export const REPORT_SCHEMA = readJson('schema/report.schema.json') as { $defs: Record<string, { enum?: string[] }> } & object;

let report: ValidateFunction | undefined;
let sarif: ValidateFunction | undefined;

function explain(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`).join('; ');
}

/** Throws with the first schema errors when `value` is not a valid JSON report. */
export function assertValidReport(value: unknown): void {
  if (!report) {
    const ajv = new Ajv2020.default({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
    addFormats.default(ajv);
    report = ajv.compile(REPORT_SCHEMA);
  }
  if (!report(value)) throw new Error(`report does not match schema/report.schema.json: ${explain(report.errors)}`);
}

/** Throws with the first schema errors when `value` is not valid SARIF 2.1.0. */
export function assertValidSarif(value: unknown): void {
  if (!sarif) {
    const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats.default(ajv);
    sarif = ajv.compile(readJson('schema/vendor/sarif-schema-2.1.0.json'));
  }
  if (!sarif(value)) throw new Error(`not valid SARIF 2.1.0: ${explain(sarif.errors)}`);
}
