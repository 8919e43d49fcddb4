/**
 * File classes of CHECKS.md §5.0, decided from a path relative to the scanned root (pure, so
 * checks can use it too): F-DOCKER, F-K8S candidates (YAML/JSON), F-LOCK, F-CI, F-BOT, F-CFG,
 * F-SRC. A file has one primary kind; `lockKind`, `isCiPath` etc. answer the finer questions.
 */
import type { SourceFileKind } from '../engine/snapshot.js';

const base = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** Dependency manifests and lockfiles (F-LOCK). */
export const LOCK_FILES: ReadonlySet<string> = new Set([
  'package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'bun.lockb',
  'go.mod', 'go.sum', 'Cargo.toml', 'Cargo.lock', 'pyproject.toml', 'poetry.lock', 'uv.lock', 'pdm.lock', 'Pipfile',
  'Pipfile.lock', 'Gemfile', 'Gemfile.lock', 'composer.json', 'composer.lock', 'pom.xml', 'build.gradle', 'build.gradle.kts',
  'gradle.lockfile', 'packages.lock.json',
]);

export function isLockPath(path: string): boolean {
  const name = base(path);
  return LOCK_FILES.has(name) || /^requirements[\w.-]*\.txt$/.test(name);
}

/** CI configuration (F-CI). */
export function isCiPath(path: string): boolean {
  const name = base(path);
  return /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(path)
    || /(^|\/)\.github\/actions\/.+\/action\.ya?ml$/.test(path)
    || name === '.gitlab-ci.yml' || /(^|\/)\.gitlab\/ci\/.+\.ya?ml$/.test(path)
    || name === 'Jenkinsfile' || /^azure-pipelines[\w.-]*\.ya?ml$/.test(name)
    || /(^|\/)\.circleci\/config\.ya?ml$/.test(path) || name === 'bitbucket-pipelines.yml'
    || name === '.drone.yml' || /(^|\/)\.buildkite\//.test(path) || /^cloudbuild\.ya?ml$/.test(name)
    || /(^|\/)\.tekton\//.test(path) || name === '.travis.yml' || /(^|\/)\.woodpecker(\.ya?ml|\/)/.test(path);
}

/** Dependabot/Renovate configuration (F-BOT). */
export function isBotPath(path: string): boolean {
  return /(^|\/)\.github\/dependabot\.ya?ml$/.test(path)
    || /^(\.github\/|\.gitlab\/)?(renovate\.json5?|\.renovaterc(\.json5?)?)$/.test(path);
}

export function isDockerfilePath(path: string): boolean {
  const name = base(path);
  return /^(Dockerfile|Containerfile)(\..+)?$/.test(name) || /\.(Dockerfile|Containerfile)$/i.test(name);
}

const SOURCE_EXT = /\.(js|mjs|cjs|jsx|ts|mts|cts|tsx|go|py|rb|java|kt|kts|scala|groovy|cs|fs|vb|php|rs|c|cc|cpp|cxx|h|hpp|swift|m|mm|sh|bash|zsh|ps1|psm1|pl|lua|ex|exs|erl|clj|dart|r|tf|hcl)$/i;
const CONFIG_EXT = /\.(properties|ini|toml|conf|cfg|env|config|cnf|npmrc|pypirc|netrc|xml)$/i;
const CONFIG_NAMES = /^(\.eslintrc|\.semgrepignore|\.env(\..+)?|\.npmrc|\.pypirc|\.netrc|\.yarnrc(\.yml)?|\.gitconfig|nginx\.conf|haproxy\.cfg|kubeconfig|config)$/i;
const DOC_EXT = /\.(md|markdown|mdx|rst|txt|adoc)$/i;

/** The primary kind of a file, or undefined for files the Code layer never reads. */
export function classify(path: string): SourceFileKind | undefined {
  const name = base(path);
  if (isDockerfilePath(path)) return 'dockerfile';
  if (isLockPath(path)) return 'lockfile';
  if (isCiPath(path)) return 'ci';
  if (/\.sarif(\.json)?$/i.test(name)) return 'report';
  if (/\.(ya?ml|json)$/i.test(name)) return 'manifest';
  if (SOURCE_EXT.test(name)) return 'source';
  if (CONFIG_NAMES.test(name) || CONFIG_EXT.test(name)) return 'config';
  if (DOC_EXT.test(name)) return 'other';
  if (/^(Makefile|Procfile|Vagrantfile|Rakefile|Brewfile)$/.test(name)) return 'source';
  return undefined;
}

/** CHECKS.md §5.0: test/example paths and Markdown are reported at most `low`. */
export function isTestPath(path: string): boolean {
  return /(^|\/)(test|tests|__tests__|testdata|fixtures|examples?|docs)\//.test(path) || /\.(md|markdown|mdx)$/i.test(path);
}
