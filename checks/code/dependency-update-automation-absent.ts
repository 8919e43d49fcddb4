import { findings, notApplicable } from '../../src/engine/helpers.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';
import { isCiPath, isDockerfilePath, isTestPath } from '../../src/files/classify.js';
import { filesOf } from '../../src/files/code-check.js';

/** The Dependabot package-ecosystem a file belongs to. */
function ecosystemOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (isDockerfilePath(path)) return 'docker';
  if (isCiPath(path)) return path.includes('.github/') ? 'github-actions' : 'CI images and tools';
  if (/^(package(-lock)?\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?)$/.test(name)) return 'npm';
  if (/^go\.(mod|sum)$/.test(name)) return 'gomod';
  if (/^Cargo\./.test(name)) return 'cargo';
  if (/^(pyproject\.toml|poetry\.lock|uv\.lock|pdm\.lock|Pipfile(\.lock)?|requirements.*\.txt)$/.test(name)) return 'pip';
  if (/^Gemfile/.test(name)) return 'bundler';
  if (/^composer\./.test(name)) return 'composer';
  if (/^(pom\.xml)$/.test(name)) return 'maven';
  if (/gradle/.test(name)) return 'gradle';
  return 'nuget';
}

const BOT_FILES = /^(\.github\/dependabot\.ya?ml|renovate\.json5?|\.renovaterc(\.json5?)?|\.github\/renovate\.json5?|\.gitlab\/renovate\.json5?)$/;

export const check: Check = {
  id: 'code/dependency-update-automation-absent',
  layer: 'code',
  title: 'No automated dependency updates',
  severity: 'low',
  description:
    'Looks at the root of the scanned tree for Dependabot or Renovate configuration: .github/dependabot.yml, renovate.json, renovate.json5, ' +
    '.renovaterc, .renovaterc.json, .github/renovate.json, or a "renovate" key in package.json. Fails low when the tree has dependencies ' +
    '(manifests, lockfiles, Dockerfiles or CI workflows) and none of these exists. Not applicable when there is nothing to update.',
  remediation: 'Enable Dependabot or Renovate for your package ecosystems, Docker base images and GitHub Actions.',
  references: [ref.fourC('3rd Party Dependency Security'), ref.doc('Dependabot version updates', 'https://docs.github.com/en/code-security/dependabot/dependabot-version-updates/configuring-dependabot-version-updates'), ref.doc('Renovate', 'https://docs.renovatebot.com/')],
  needs: ['files'],
  evaluate: (snapshot) => {
    const all = snapshot.files?.files ?? [];
    const deps = filesOf(snapshot, ['lock', 'docker', 'ci']).filter((f) => !isTestPath(f.path));
    if (deps.length === 0) return notApplicable('no dependency manifest, Dockerfile or CI workflow outside test paths: nothing to update');
    const bot = all.find((f) => BOT_FILES.test(f.path));
    if (bot) return findings([], `update automation configured in ${bot.path}`);
    const pkg = all.find((f) => f.path === 'package.json' && /"renovate"\s*:/.test(f.text));
    if (pkg) return findings([], 'Renovate configured in package.json');
    const ecosystems = [...new Set(deps.map((f) => ecosystemOf(f.path)))].join(', ');
    return findings([{
      subject: { kind: 'Repository', name: snapshot.files?.root ?? '.', file: '.' },
      severity: 'low',
      message: `no Dependabot or Renovate configuration, although the tree has dependencies to update (${ecosystems})`,
      evidence: [{ path: '.github/dependabot.yml', value: 'absent' }],
      remediation: {
        why: 'Vulnerabilities are fixed in new releases; without a bot, dependencies, base images and actions age silently and stay vulnerable.',
        fix: 'Add .github/dependabot.yml (or renovate.json) covering your package ecosystems, docker and github-actions.',
        patch: ['version: 2', 'updates:', '  - package-ecosystem: npm   # or gomod, pip, cargo, maven, gradle …', '    directory: /', '    schedule: {interval: weekly}',
          '  - package-ecosystem: docker', '    directory: /', '    schedule: {interval: weekly}', '  - package-ecosystem: github-actions', '    directory: /', '    schedule: {interval: weekly}', ''].join('\n'),
      },
    }]);
  },
};
