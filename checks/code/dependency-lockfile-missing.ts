import { findings, notApplicable } from '../../src/engine/helpers.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';
import { CodeFindings, filesOf, isCommentLine, snippet } from '../../src/files/code-check.js';

const CHECK_ID = 'code/dependency-lockfile-missing';
const WHY = 'Without a lockfile every install resolves the newest versions that match, so builds are not reproducible and a compromised release reaches you without review.';

const dirOf = (path: string): string => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
const join = (dir: string, name: string): string => (dir ? `${dir}/${name}` : name);

/** `dir` and its ancestors up to the root. */
function ancestors(dir: string): string[] {
  const out = [dir];
  let d = dir;
  while (d !== '') {
    d = dirOf(d);
    out.push(d);
  }
  return out;
}

const NPM_LOCKS = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'bun.lockb'];
const PY_LOCKS = ['poetry.lock', 'uv.lock', 'pdm.lock', 'Pipfile.lock'];

function hasNpmDependencies(text: string): boolean {
  try {
    const pkg = JSON.parse(text) as Record<string, unknown>;
    return ['dependencies', 'devDependencies', 'optionalDependencies'].some((k) => {
      const deps = pkg[k];
      return typeof deps === 'object' && deps !== null && Object.keys(deps).length > 0;
    });
  } catch {
    return false;
  }
}

function hasPythonDependencies(text: string): boolean {
  return /^\s*dependencies\s*=\s*\[\s*["']/m.test(text) || /^\s*dependencies\s*=\s*\[\s*$\s*["']/m.test(text)
    || /^\[tool\.poetry\.(dev-)?dependencies\]\s*$[\s\S]*?^\s*(?!python\b)[A-Za-z0-9_.-]+\s*=/m.test(text) || /^\[packages\]\s*$\s*^[A-Za-z0-9_.-]+\s*=/m.test(text);
}

/** Frozen-install switches for CI (low). */
const CI_RULES: readonly (readonly [string, RegExp, RegExp])[] = [
  ['npm install in CI instead of npm ci', /\bnpm\s+(install|i)\b(?![\w-])/, /\s(-g|--global)\b|\bnpm\s+(install|i)\s+[^-\s&|;]/],
  ['yarn install without --frozen-lockfile/--immutable', /\byarn\s+install\b/, /--frozen-lockfile|--immutable/],
  ['pip install -r without --require-hashes', /\bpip3?\s+install\b[^\n]*\s-r\s/, /--require-hashes/],
];

export const check: Check = {
  id: CHECK_ID,
  layer: 'code',
  title: 'Dependencies not locked',
  severity: 'medium',
  description:
    'Pairs each dependency manifest with its lockfile (the lockfile may sit in an ancestor directory for workspaces): package.json with dependencies ' +
    'and no npm/yarn/pnpm/bun lockfile; go.mod with requirements and no go.sum; an application Cargo.toml (src/main.rs or [[bin]]) without Cargo.lock; ' +
    'pyproject.toml/Pipfile with dependencies and no poetry.lock/uv.lock/pdm.lock/Pipfile.lock; Gemfile without Gemfile.lock; composer.json without ' +
    'composer.lock → medium. requirements*.txt lines without == pins, and CI running npm install instead of npm ci, yarn install without ' +
    '--frozen-lockfile/--immutable, or pip install -r without --require-hashes → low.',
  remediation: 'Commit the lockfile and install in frozen mode in CI (npm ci, yarn install --immutable, pip install --require-hashes).',
  references: [ref.fourC('3rd Party Dependency Security')],
  needs: ['files'],
  evaluate: (snapshot) => {
    const locks = filesOf(snapshot, ['lock']);
    const ci = filesOf(snapshot, ['ci']);
    if (locks.length === 0 && filesOf(snapshot, ['ci']).length === 0) return notApplicable('no dependency manifest, lockfile or CI configuration in the scanned tree');
    const paths = new Set((snapshot.files?.files ?? []).map((f) => f.path));
    const out = new CodeFindings(CHECK_ID, 'medium');
    const lockedIn = (dir: string, names: readonly string[], upwards: boolean) =>
      (upwards ? ancestors(dir) : [dir]).some((d) => names.some((n) => paths.has(join(d, n))));
    for (const file of locks) {
      const name = file.path.slice(file.path.lastIndexOf('/') + 1);
      const dir = dirOf(file.path);
      const missing = (lock: string, fix: string) => out.add({
        file, line: 1, message: `${name} has no ${lock}`, value: name,
        remediation: { why: WHY, fix },
      });
      if (name === 'package.json' && hasNpmDependencies(file.text) && !lockedIn(dir, NPM_LOCKS, true)) {
        missing('package-lock.json, yarn.lock, pnpm-lock.yaml or bun.lock', 'Run npm install (or yarn/pnpm/bun) once, commit the lockfile, and use npm ci in CI.');
      } else if (name === 'go.mod' && /^\s*require\b/m.test(file.text) && !paths.has(join(dir, 'go.sum'))) {
        missing('go.sum', 'Run go mod tidy and commit go.sum.');
      } else if (name === 'Cargo.toml' && (paths.has(join(dir, 'src/main.rs')) || /^\[\[bin\]\]/m.test(file.text)) && !lockedIn(dir, ['Cargo.lock'], true)) {
        missing('Cargo.lock (it is an application)', 'Run cargo generate-lockfile and commit Cargo.lock.');
      } else if ((name === 'pyproject.toml' || name === 'Pipfile') && hasPythonDependencies(file.text) && !lockedIn(dir, PY_LOCKS, false)) {
        missing('poetry.lock, uv.lock, pdm.lock or Pipfile.lock', 'Lock with poetry lock, uv lock, pdm lock or pipenv lock and commit the lockfile.');
      } else if (name === 'Gemfile' && !paths.has(join(dir, 'Gemfile.lock'))) {
        missing('Gemfile.lock', 'Run bundle lock and commit Gemfile.lock.');
      } else if (name === 'composer.json' && /"require"\s*:\s*\{\s*"/.test(file.text) && !paths.has(join(dir, 'composer.lock'))) {
        missing('composer.lock', 'Run composer update --lock and commit composer.lock.');
      } else if (/^requirements[\w.-]*\.txt$/.test(name)) {
        out.lines(file).forEach((text, i) => {
          const line = text.replace(/\s+#.*$/, '').trim();
          if (line === '' || isCommentLine(line) || line.startsWith('-') || /^[a-z+]+:\/\//i.test(line) || /@\s*\S+:\/\//.test(line)) return;
          if (/===?\s*[\w.*+!-]+/.test(line)) return;
          out.add({
            file, line: i + 1, severity: 'low', message: `requirement "${snippet(line)}" is not pinned with ==`, value: snippet(line),
            remediation: { why: WHY, fix: 'Pin exact versions (pip-compile --generate-hashes, or uv pip compile) and install with --require-hashes.' },
          });
        });
      }
    }
    for (const file of ci) {
      out.lines(file).forEach((text, i) => {
        if (isCommentLine(text)) return;
        for (const [what, match, unless] of CI_RULES) {
          if (match.test(text) && !unless.test(text)) {
            out.add({ file, line: i + 1, severity: 'low', message: what, value: snippet(text), discriminator: `${i + 1}:${what}`, remediation: { why: WHY, fix: 'Install from the lockfile in frozen mode: npm ci, yarn install --immutable (or --frozen-lockfile), pip install --require-hashes -r requirements.txt.' } });
          }
        }
      });
    }
    return findings(out.drafts, out.note());
  },
};
