import { findings, notApplicable } from '../../src/engine/helpers.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Check } from '../../src/engine/types.js';
import { CodeFindings, filesOf } from '../../src/files/code-check.js';
import { skippedNote, treeManifests } from '../../src/files/code-manifests.js';
import { isPlaceholder } from '../../src/files/secret-scan.js';

const CHECK_ID = 'code/plaintext-secret-manifest';
const WHY = 'Base64 is an encoding, not encryption: anyone who can read the repository (and its history) can read these values.';

function decoded(value: string, base64: boolean): string {
  if (!base64) return value;
  try {
    return Buffer.from(value, 'base64').toString('utf8');
  } catch {
    return value;
  }
}

/** SOPS: a top-level `sops:` block with `mac`, or values shaped ENC[AES256_GCM,…]. */
function isSopsEncrypted(text: string): boolean {
  return (/^sops:\s*$/m.test(text) && /^\s+mac:\s*\S/m.test(text)) || /ENC\[AES256_GCM,/.test(text) || /"sops"\s*:\s*\{[\s\S]*"mac"/.test(text);
}

/** The line of `key:` at or after `from` (cheap: the first one), else `from`. */
function keyLine(lines: readonly string[], from: number, key: string): number {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^\\s+["']?${escaped}["']?\\s*:`);
  for (let i = from - 1; i < Math.min(lines.length, from + 400); i++) if (pattern.test(lines[i] ?? '')) return i + 1;
  return from;
}

export const check: Check = {
  id: CHECK_ID,
  layer: 'code',
  title: 'Secret manifest committed with values',
  severity: 'high',
  description:
    'Reads the Kubernetes objects in the scanned tree\'s YAML/JSON files. Fails for each kind: Secret document whose data or stringData holds ' +
    'non-placeholder values, unless the file is SOPS-encrypted (top-level sops: block with mac, or ENC[AES256_GCM,…] values). SealedSecret, ' +
    'ExternalSecret and SecretProviderClass documents are fine. Values are never shown, only key names and lengths.',
  remediation: 'Replace committed Secret manifests with SealedSecrets, SOPS or External Secrets, and rotate the exposed values.',
  references: [ref.fourC('Application secrets management'), ref.cis('5.4.2'), ref.nsa('Network separation (Secrets)')],
  needs: ['files'],
  evaluate: (snapshot) => {
    if (filesOf(snapshot, ['k8s']).length === 0) return notApplicable('no YAML or JSON file in the scanned tree');
    const manifests = treeManifests(snapshot);
    const secrets = manifests.objects.filter((o) => o.object.kind === 'Secret' && (o.object.apiVersion === 'v1'));
    const skipped = skippedNote(manifests);
    if (secrets.length === 0) return notApplicable(`no Secret manifest in the scanned tree${skipped ? `; ${skipped}` : ''}`);
    const out = new CodeFindings(CHECK_ID, 'high');
    const byPath = new Map((snapshot.files?.files ?? []).map((f) => [f.path, f]));
    for (const { file: path, line, object } of secrets) {
      const file = byPath.get(path);
      if (!file || isSopsEncrypted(file.text)) continue;
      const keys: { field: string; key: string; length: number }[] = [];
      for (const [field, base64] of [['data', true], ['stringData', false]] as const) {
        const values = object[field];
        if (typeof values !== 'object' || values === null) continue;
        for (const [key, raw] of Object.entries(values as Record<string, unknown>)) {
          if (raw === null || raw === undefined) continue;
          const value = decoded(String(raw), base64).trim();
          if (value === '' || isPlaceholder(value)) continue;
          keys.push({ field, key, length: value.length });
        }
      }
      if (keys.length === 0) continue;
      const name = object.metadata?.name ?? '';
      const namespace = object.metadata?.namespace;
      const first = keys[0] as (typeof keys)[number];
      const at = keyLine(out.lines(file), line, first.key);
      const listed = keys.map((k) => `${k.field}.${k.key} (${k.length} chars)`).join(', ');
      out.add({
        file, line: at, object: { kind: 'Secret', name, ...(namespace ? { namespace } : {}) },
        message: `Secret "${namespace ? `${namespace}/` : ''}${name}" holds values in the repository: ${listed}`,
        value: `${first.field}.${first.key} = <redacted>`,
        discriminator: `${line}:${name}`,
        remediation: {
          why: WHY,
          fix: `Rotate the values, delete the manifest from the repository (and history), and commit a SealedSecret (${command`kubeseal --format yaml --secret-file ${path} --sealed-secret-file ${path.replace(/(\.ya?ml|\.json)?$/, '.sealed.yaml')}`}), a SOPS-encrypted file or an ExternalSecret instead.`,
        },
      });
    }
    return findings(out.drafts, [out.note(), skipped].filter(Boolean).join('; ') || undefined);
  },
};
