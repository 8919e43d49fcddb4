import { expandVariables, argEntries, envEntries, globalArgDefaults, parseDockerfile, type Instruction, type ParsedDockerfile, type Stage } from '../../src/engine/dockerfile.js';
import { findings, notApplicable } from '../../src/engine/helpers.js';
import { ref } from '../../src/engine/references.js';
import type { Check, FindingDraft, Severity } from '../../src/engine/types.js';

const CHECK_ID = 'code/dockerfile-root-user';

/** CHECKS.md §5.0: findings under test/example paths are at most low. */
const TEST_PATH = /(^|\/)(test|tests|__tests__|testdata|fixtures|examples|docs)\//;

/** `USER root`, `USER 0`, `USER root:grp`, `USER 0:0` (also `000`). */
export function isRootUser(user: string): boolean {
  const name = (user.split(':')[0] ?? '').trim();
  return name === 'root' || /^0+$/.test(name);
}

/** Base images whose default user is documented as non-root, but which this check cannot verify. */
export function isNonRootBase(image: string): boolean {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const colon = name.lastIndexOf(':');
  const tag = colon > name.lastIndexOf('/') ? name.slice(colon + 1) : '';
  const repo = colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
  if (repo.startsWith('cgr.dev/chainguard/')) return true;
  return /(^|\/)distroless\//.test(repo) && /(^|-)nonroot(-|$)/.test(tag);
}

type Vars = Map<string, string | undefined>;

interface EffectiveUser {
  /** The USER instruction in force, with the stage it is in. */
  readonly user?: { readonly ins: Instruction; readonly value: string | undefined; readonly fromArg: boolean };
  /** The external base image the chain of stages starts from (variables expanded when possible). */
  readonly baseImage: string;
  readonly baseFrom: Instruction;
}

/**
 * Variables in force before line `upToLine` of `stage`: ENV inherited from parent stages, then the
 * stage's ARG and ENV in order. `env` is what a child stage inherits (ARGs end with their stage).
 */
function stageVars(stage: Stage, upToLine: number, inherited: Vars, globals: Vars): { vars: Vars; args: Set<string>; env: Vars } {
  const vars: Vars = new Map(inherited);
  const env: Vars = new Map(inherited);
  const args = new Set<string>();
  for (const ins of stage.instructions) {
    if (ins.line >= upToLine) break;
    if (ins.keyword === 'ARG') {
      for (const { name, value } of argEntries(ins)) {
        // An ARG without default inside a stage takes the global (pre-FROM) default.
        vars.set(name, value !== undefined ? expandVariables(value, vars) : globals.get(name));
        args.add(name);
      }
    } else if (ins.keyword === 'ENV') {
      for (const { name, value } of envEntries(ins)) {
        const expanded = expandVariables(value, vars);
        vars.set(name, expanded);
        env.set(name, expanded);
        args.delete(name);
      }
    }
  }
  return { vars, args, env };
}

function stageByRef(file: ParsedDockerfile, before: number, image: string): Stage | undefined {
  const lower = image.toLowerCase();
  return file.stages.slice(0, before).reverse().find((s) => s.name === lower) ?? (/^\d+$/.test(image) ? file.stages[Number(image)] : undefined);
}

/** The USER in force at the end of `stage`, following `FROM <earlier stage>` chains. */
function effectiveUser(file: ParsedDockerfile, stage: Stage, globals: Vars, depth = 0): EffectiveUser & { readonly env: Vars } {
  const imageRef = expandVariables(stage.image, globals) ?? stage.image;
  const parent = depth < 32 ? stageByRef(file, stage.index, imageRef) : undefined;
  const inherited = parent ? effectiveUser(file, parent, globals, depth + 1) : undefined;
  const end = stageVars(stage, Number.MAX_SAFE_INTEGER, inherited?.env ?? new Map(), globals);
  const users = stage.instructions.filter((i) => i.keyword === 'USER');
  const last = users[users.length - 1];
  const base = { baseImage: inherited?.baseImage ?? imageRef, baseFrom: inherited?.baseFrom ?? stage.from, env: end.env };
  if (!last) return { ...base, ...(inherited?.user ? { user: inherited.user } : {}) };
  const { vars, args } = stageVars(stage, last.line, inherited?.env ?? new Map(), globals);
  const value = expandVariables(last.args, vars);
  const referenced = [...last.args.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] ?? '');
  return { ...base, user: { ins: last, value: value?.trim(), fromArg: referenced.some((v) => args.has(v)) } };
}

const FIX_PATCH = [
  '# at the end of the final stage (Debian/Ubuntu; on Alpine: addgroup -S -g 10001 app && adduser -S -u 10001 -G app app)',
  'RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app --no-create-home app',
  'USER 10001:10001',
  '',
].join('\n');

export const check: Check = {
  id: CHECK_ID,
  layer: 'code',
  title: 'Image runs as root',
  severity: 'high',
  description:
    'Inspects the final stage (last FROM to the end) of every Dockerfile/Containerfile, following FROM <earlier stage> chains. ' +
    'Fails when no USER instruction is in force or the last USER is root, 0, root:<group> or 0:<group> (ARG/ENV variables are resolved ' +
    'from their defaults). Warns when USER depends on a build argument without default, or when there is no USER and the final base is a ' +
    'distroless :nonroot/:debug-nonroot or cgr.dev/chainguard image (base image default user not verified).',
  remediation: 'Create an unprivileged user in the image and end the final stage with a numeric USER such as USER 10001:10001.',
  references: [
    ref.fourC('Disallow privileged users'), ref.trivy('DS-0002'), ref.nsa('Pod security (Non-root containers)'),
    ref.doc('Dockerfile reference: USER', 'https://docs.docker.com/reference/dockerfile/#user'),
  ],
  needs: ['files'],
  evaluate: (snapshot) => {
    const dockerfiles = (snapshot.files?.files ?? []).filter((f) => f.kind === 'dockerfile');
    if (dockerfiles.length === 0) return notApplicable('no Dockerfile or Containerfile in the scanned tree');
    const out: FindingDraft[] = [];
    let suppressed = 0;
    for (const file of dockerfiles) {
      const parsed = parseDockerfile(file.text);
      const final = parsed.stages[parsed.stages.length - 1];
      if (!final) continue;
      const globals = globalArgDefaults(parsed);
      const eff = effectiveUser(parsed, final, globals);
      const lines = file.text.replace(/\r\n?/g, '\n').split('\n');
      const testPath = TEST_PATH.test(file.path);

      const emit = (line: number, status: 'fail' | 'warn', severity: Severity, message: string, ev: string, why: string, fix: string) => {
        const near = [lines[line - 1] ?? '', lines[line - 2] ?? ''];
        if (near.some((l) => l.includes(`4c-tui:ignore ${CHECK_ID}`))) {
          suppressed++;
          return;
        }
        out.push({
          subject: { kind: 'Dockerfile', name: file.path, file: file.path, line },
          status,
          severity: testPath ? 'low' : severity,
          message: `${file.path}:${line}: ${message}${testPath ? ' (test/example path)' : ''}`,
          evidence: [{ path: `${file.path}:${line}`, value: ev }],
          remediation: { why, fix, patch: FIX_PATCH },
        });
      };
      const why = 'The 4C\'s page asks for least-privileged users inside containers; an image that runs as root keeps root\'s power over its files, and a container escape starts as root. A numeric non-root USER also lets the kubelet enforce runAsNonRoot.';
      const fromText = `final stage (FROM ${final.image}${final.name ? ` AS ${final.name}` : ''}, line ${final.from.line})`;

      if (eff.user) {
        const { ins, value, fromArg } = eff.user;
        const inStage = ins.line > final.from.line ? `the last USER of the ${fromText}` : `the USER the ${fromText} inherits from an earlier stage (line ${ins.line})`;
        if (value === undefined || value === '') {
          emit(ins.line, 'warn', 'high', `${inStage} is "${ins.args}", which uses a variable with no default in this Dockerfile (a build argument or the base image's ENV): the user is decided outside the file and may be root`, ins.original,
            why, 'Give the variable a non-root default (e.g. ARG APP_UID=10001) or use a literal numeric USER.');
        } else if (isRootUser(value)) {
          const resolved = value !== ins.args ? ` (resolves to "${value}"${fromArg ? ' from an ARG default; --build-arg can change it' : ''})` : '';
          emit(ins.line, 'fail', 'high', `${inStage} is "${ins.args}"${resolved}: the container runs as root`, ins.original,
            why, 'End the final stage with a non-root, numeric user, e.g. USER 10001:10001 (create it first if the base image lacks it).');
        }
        continue;
      }
      if (isNonRootBase(eff.baseImage)) {
        emit(eff.baseFrom.line, 'warn', 'low', `${fromText} has no USER instruction; base image "${eff.baseImage}" is documented to default to a non-root user — base image default user not verified`, eff.baseFrom.original,
          why, 'State the user explicitly (e.g. USER 65532:65532 for distroless nonroot) so the intent is visible and the kubelet can verify runAsNonRoot.');
        continue;
      }
      emit(final.from.line, 'fail', 'high', `${fromText} has no USER instruction: the container runs as the base image's default user ("${eff.baseImage}"), which is root for most images`, final.from.original,
        why, 'Create an unprivileged user and end the final stage with USER 10001:10001 (numeric, so the kubelet can verify non-root).');
    }
    return findings(out, suppressed > 0 ? `${suppressed} finding(s) suppressed by 4c-tui:ignore comments` : undefined);
  },
};
