import { findings, notApplicable } from '../../src/engine/helpers.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';
import { CodeFindings, filesOf, isCommentLine, snippet } from '../../src/files/code-check.js';

const CHECK_ID = 'code/dependency-unpinned-version';
const WHY = 'A floating reference (latest, *, an open range, a branch or a tag) changes under you: the next install or workflow run can pull code nobody reviewed, including a compromised release or a moved tag.';

/** Why an npm version specifier floats, or undefined when it is bounded. */
export function npmFloating(spec: string): string | undefined {
  const s = spec.trim();
  if (/^(workspace|file|link|portal|patch):/.test(s)) return undefined;
  const alias = /^npm:(?:@?[^@]+)@(.*)$/.exec(s);
  if (alias) return npmFloating(alias[1] ?? '');
  if (s === '' || s === '*' || s === 'x' || s === 'X' || s === 'latest' || s === 'next') return `"${s || '(empty)'}" accepts any version`;
  if (/^(git(\+\w+)?:|github:|gitlab:|bitbucket:|https?:\/\/.*\.git)|^[\w.-]+\/[\w.-]+(#.*)?$/.test(s)) {
    const ref = /#(.+)$/.exec(s)?.[1];
    if (!ref || !/^(commit:)?[0-9a-f]{40}$/i.test(ref.replace(/^semver:.*/, ''))) return `git dependency on ${ref ? `"${ref}"` : 'the default branch'}, not a commit SHA`;
    return undefined;
  }
  // Each || alternative must be bounded above.
  for (const alt of s.split('||').map((a) => a.trim())) {
    if (/^>=?\s*[\d.]+[\w.-]*$/.test(alt) || /^[\d]+\.x(\.x)?\s*\|\|/.test(alt)) return `open range "${alt}" has no upper bound`;
  }
  return undefined;
}

/** A PEP 508 requirement with only a lower bound (or no version at all inside pyproject dependencies). */
function pythonFloating(req: string): string | undefined {
  const body = req.replace(/;.*$/, '').trim();
  if (/@\s*git\+/.test(body)) return /@[0-9a-f]{40}\b/.test(body) ? undefined : 'git dependency not pinned to a commit SHA';
  if (/>=?\s*\d/.test(body) && !/<|==|~=/.test(body)) return `open range "${body}" has no upper bound`;
  if (/^\s*[A-Za-z0-9_.[\]-]+\s*$/.test(body)) return undefined; // bare names are the lockfile's job (dependency-lockfile-missing)
  if (/(^|[^=!<>~])\*$/.test(body)) return `"${body}" accepts any version`;
  return undefined;
}

export const check: Check = {
  id: CHECK_ID,
  layer: 'code',
  title: 'Floating dependency references',
  severity: 'low',
  description:
    'Reads dependency manifests and CI workflows. Fails low for version specifiers *, latest, x, open ranges without upper bound (>=1.0) and git ' +
    'dependencies on a branch instead of a commit SHA in package.json, Cargo.toml, pyproject.toml, requirements*.txt and composer.json; and for ' +
    'GitHub Actions uses: references by tag or branch instead of a full 40-character commit SHA (local ./ actions and digest-pinned docker:// images are fine).',
  remediation: 'Pin exact versions or full commit SHAs and let Dependabot or Renovate propose the updates.',
  references: [ref.fourC('3rd Party Dependency Security'), ref.doc('GitHub: pin actions to a full-length commit SHA', 'https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-third-party-actions')],
  needs: ['files'],
  evaluate: (snapshot) => {
    const locks = filesOf(snapshot, ['lock']);
    const ci = filesOf(snapshot, ['ci']);
    if (locks.length === 0 && ci.length === 0) return notApplicable('no dependency manifest or CI configuration in the scanned tree');
    const out = new CodeFindings(CHECK_ID, 'low');
    const fix = { why: WHY, fix: 'Pin an exact version (or a commit SHA for git dependencies) and let a bot update it.' };
    for (const file of locks) {
      const name = file.path.slice(file.path.lastIndexOf('/') + 1);
      const lines = out.lines(file);
      if (name === 'package.json' || name === 'composer.json') {
        let json: Record<string, unknown>;
        try {
          json = JSON.parse(file.text) as Record<string, unknown>;
        } catch {
          continue;
        }
        const sections = name === 'package.json' ? ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] : ['require', 'require-dev'];
        for (const section of sections) {
          const deps = json[section];
          if (typeof deps !== 'object' || deps === null) continue;
          for (const [dep, spec] of Object.entries(deps as Record<string, unknown>)) {
            if (typeof spec !== 'string' || (name === 'composer.json' && /^(php|ext-.*)$/.test(dep))) continue;
            const why = section === 'peerDependencies' ? undefined : npmFloating(spec);
            if (!why) continue;
            const at = lines.findIndex((l) => l.includes(`"${dep}"`)) + 1 || 1;
            out.add({ file, line: at, message: `${section}.${dep}: ${why}`, value: `"${dep}": "${spec}"`, discriminator: `${section}:${dep}`, remediation: fix });
          }
        }
      } else if (name === 'Cargo.toml') {
        lines.forEach((text, i) => {
          const m = /^\s*([\w-]+)\s*=\s*(?:"([^"]*)"|\{[^}]*\bversion\s*=\s*"([^"]*)")/.exec(text);
          const spec = m?.[2] ?? m?.[3];
          if (m && spec !== undefined && (spec === '*' || /^>=?\s*[\d.]+$/.test(spec.trim()))) out.add({ file, line: i + 1, message: `dependency ${m[1]} = "${spec}" floats`, value: snippet(text), remediation: fix });
          const git = /^\s*([\w-]+)\s*=\s*\{[^}]*\bgit\s*=\s*"[^"]*"([^}]*)\}/.exec(text);
          if (git && !/\brev\s*=\s*"[0-9a-f]{40}"/.test(git[2] ?? '')) out.add({ file, line: i + 1, message: `git dependency ${git[1]} is not pinned to a commit (rev)`, value: snippet(text), remediation: fix });
        });
      } else if (name === 'pyproject.toml' || /^requirements[\w.-]*\.txt$/.test(name)) {
        lines.forEach((text, i) => {
          if (isCommentLine(text)) return;
          const req = name === 'pyproject.toml' ? /^\s*["']([^"']+)["'],?\s*$/.exec(text)?.[1] : text.replace(/\s+#.*$/, '').trim();
          if (!req || req.startsWith('-')) return;
          const why = pythonFloating(req);
          if (why) out.add({ file, line: i + 1, message: why, value: snippet(req), remediation: fix });
        });
      }
    }
    for (const file of ci) {
      out.lines(file).forEach((text, i) => {
        const m = /^\s*-?\s*uses:\s*["']?([^"'\s#]+)/.exec(text);
        if (!m) return;
        const ref = m[1] ?? '';
        if (ref.startsWith('./') || ref.startsWith('.\\')) return;
        if (ref.startsWith('docker://')) {
          if (!/@sha256:[0-9a-f]{64}$/.test(ref)) out.add({ file, line: i + 1, message: `uses: ${ref} is a container image without a digest`, value: snippet(text), remediation: { why: WHY, fix: 'Pin the image by digest: docker://image@sha256:<digest>.' } });
          return;
        }
        const version = ref.includes('@') ? ref.slice(ref.lastIndexOf('@') + 1) : '';
        if (/^[0-9a-f]{40}$/.test(version)) return;
        out.add({
          file, line: i + 1, message: `GitHub Action ${ref} is referenced by ${version ? `tag or branch "${version}"` : 'no version'}, not a commit SHA`, value: snippet(text),
          remediation: { why: WHY, fix: `Pin the full commit SHA with the tag as a comment, e.g. uses: ${ref.split('@')[0]}@<40-char-sha> # ${version || 'vX.Y.Z'}; Dependabot keeps SHA pins updated.` },
        });
      });
    }
    return findings(out.drafts, out.note());
  },
};
