import { notApplicable, findings } from '../../src/engine/helpers.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';
import { CodeFindings, filesOf } from '../../src/files/code-check.js';
import { maskSecret, scanSecrets } from '../../src/files/secret-scan.js';

const CHECK_ID = 'code/hardcoded-secret';
const WHY = 'Anything committed is effectively published to everyone with repository access and stays in git history, even after the line is deleted.';
const FIX = 'Revoke or rotate the credential first, then remove it, purge it from history if needed (git filter-repo), load it at runtime from a secret store or the environment, and add a pre-commit secret scanner.';

export const check: Check = {
  id: CHECK_ID,
  layer: 'code',
  title: 'Hard-coded secret in repository files',
  severity: 'critical',
  description:
    'Scans source, configuration, manifest, Dockerfile, CI and documentation files line by line for credential formats: private-key blocks, ' +
    'AWS key ids, GitHub/GitLab/Slack tokens, Google API keys, Stripe live keys, kubeconfig client keys and tokens, Docker "auth" entries, ' +
    '.npmrc _authToken, passwords inside URLs (critical), JWTs and generic password/token/api_key assignments with Shannon entropy >= 3.5 bits/char (high). ' +
    'Placeholders (example, changeme, dummy, xxxx, <...>, ${...}, {{ ... }}, $(...), environment lookups) are ignored. Values are never shown: ' +
    'only a prefix of at most 4 characters, the length and a SHA-256 prefix.',
  remediation: 'Rotate the credential, remove it from the repository and its history, and load secrets at runtime from a secret store.',
  references: [
    ref.fourC('Static Code Analysis'), ref.nsa('Network separation (Secrets)'), ref.kubescape('C-0012'), ref.trivy('DS-0031'),
    ref.doc('git filter-repo', 'https://github.com/newren/git-filter-repo'),
  ],
  needs: ['files'],
  evaluate: (snapshot) => {
    const files = filesOf(snapshot, ['source', 'config', 'k8s', 'docker', 'ci', 'doc', 'bot']);
    if (files.length === 0) return notApplicable('no source, configuration, manifest or CI file in the scanned tree');
    const out = new CodeFindings(CHECK_ID, 'critical');
    for (const file of files) {
      for (const m of scanSecrets(file.text)) {
        const masked = maskSecret(m.value);
        out.add({
          file, line: m.line, column: m.column, severity: m.severity,
          message: `${m.type} ${masked} committed in the file`,
          value: masked,
          discriminator: `${m.line}:${m.column}:${m.type}`,
          remediation: { why: WHY, fix: FIX },
        });
      }
    }
    return findings(out.drafts, out.note());
  },
};
