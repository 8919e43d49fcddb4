import { findings } from '../../src/engine/helpers.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';
import { filesOf } from '../../src/files/code-check.js';
import { findFirst } from '../../src/files/ci.js';

export const SAST_TOOLS: readonly RegExp[] = [
  /github\/codeql-action/i, /\bsemgrep\b/i, /returntocorp\/semgrep|semgrep\/semgrep/i, /\bgosec\b/i, /\bbandit\b/i, /\bbrakeman\b/i,
  /sonarsource\/sonar|sonarqube-scan-action|sonarcloud-github-action|\bsonar-scanner\b|sonar:sonar|\bsonarqube\b/i, /snyk\s+code\b|snyk\/actions\/[^@\s]*@[^\s]*[\s\S]*code/i,
  /\bspotbugs\b|findsecbugs|find-sec-bugs/i, /\bnjsscan\b/i, /psalm[^\n]*--taint-analysis/i,
  /template:\s*["']?(Security\/)?SAST\.gitlab-ci\.yml|Jobs\/SAST/i, /eslint-plugin-security|@microsoft\/eslint-plugin-sdl/,
];

export const check: Check = {
  id: 'code/sast-not-configured',
  layer: 'code',
  title: 'No static security analysis in CI',
  severity: 'low',
  description:
    'Looks through CI configuration (.github/workflows, .gitlab-ci.yml, Jenkinsfile, …), ESLint configuration and package.json for a static application ' +
    'security testing tool: CodeQL (github/codeql-action), Semgrep, gosec, Bandit, Brakeman, SonarQube/SonarCloud, Snyk Code, SpotBugs with Find Security Bugs, ' +
    'njsscan, Psalm taint analysis, the GitLab SAST template, eslint-plugin-security or @microsoft/eslint-plugin-sdl. Fails low when none is found.',
  remediation: 'Add a static analyser (CodeQL, Semgrep or the language\'s security linter) to CI and fail the build on high findings.',
  references: [ref.fourC('Static Code Analysis'), ref.doc('OWASP source code analysis tools', 'https://owasp.org/www-community/Source_Code_Analysis_Tools')],
  needs: ['files'],
  evaluate: (snapshot) => {
    const ci = filesOf(snapshot, ['ci']);
    const configs = (snapshot.files?.files ?? []).filter((f) => /(^|\/)(\.eslintrc(\.\w+)?|eslint\.config\.[cm]?[jt]s|package\.json|sonar-project\.properties|\.semgrep\.ya?ml|semgrep\.ya?ml)$/.test(f.path));
    const hit = findFirst([...ci, ...configs], SAST_TOOLS);
    if (hit) return findings([], `static analysis found in ${hit.file.path}:${hit.line}`);
    const toolConfig = configs.find((f) => /sonar-project\.properties$|semgrep\.ya?ml$/.test(f.path));
    if (toolConfig) return findings([], `static analysis configured in ${toolConfig.path}`);
    return findings([{
      subject: { kind: 'Repository', name: snapshot.files?.root ?? '.', file: ci[0]?.path ?? '.' },
      severity: 'low',
      message: ci.length > 0
        ? `no static application security testing in the ${ci.length} CI file(s) (${ci.slice(0, 3).map((f) => f.path).join(', ')}${ci.length > 3 ? ', …' : ''}) or the linter configuration`
        : 'no CI configuration and no security linter configuration: nothing runs static security analysis',
      evidence: [{ path: 'CI configuration', value: ci.length > 0 ? 'no SAST step' : 'absent' }],
      remediation: {
        why: 'The 4C\'s page recommends automated static analysis to catch unsafe coding practices (injection, unsafe deserialisation, weak crypto) before they ship.',
        fix: 'Add CodeQL (github/codeql-action) or Semgrep to CI, or the GitLab SAST template, and fail on high findings.',
        patch: ['# .github/workflows/codeql.yml', 'on: [push, pull_request]', 'jobs:', '  analyze:', '    runs-on: ubuntu-latest', '    permissions: {security-events: write, contents: read}', '    steps:',
          '      - uses: actions/checkout@<sha>', '      - uses: github/codeql-action/init@<sha>', '      - uses: github/codeql-action/analyze@<sha>', ''].join('\n'),
      },
    }]);
  },
};
