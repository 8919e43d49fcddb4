import { argEntries, envEntries, parseDockerfile, type ParsedDockerfile, type Stage } from '../../src/engine/dockerfile.js';
import { findings, notApplicable } from '../../src/engine/helpers.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';
import { CodeFindings, filesOf, snippet } from '../../src/files/code-check.js';
import { isPlaceholder } from '../../src/files/secret-scan.js';

const CHECK_ID = 'code/dockerfile-secret-exposure';
const WHY = 'Image layers and history are readable by anyone who can pull the image: ENV values, build arguments and copied files stay in it even if a later step deletes them.';
const FIX_SECRET = 'Use a BuildKit secret instead: RUN --mount=type=secret,id=<id> … with docker build --secret id=<id>,src=<file>; pass runtime secrets through the orchestrator (a Kubernetes Secret), not the image.';
const FIX_FILE = 'Do not copy credential files into the image: add them to .dockerignore and mount them at build time with RUN --mount=type=secret, or at runtime from a Secret.';

const NAMED = new Set(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AZURE_CLIENT_SECRET', 'GITHUB_TOKEN', 'GH_TOKEN',
  'GH_ENTERPRISE_TOKEN', 'GITHUB_ENTERPRISE_TOKEN', 'NPM_TOKEN', 'OPENAI_API_KEY', 'HF_TOKEN']);
/** The generic secret-name rule of cluster/credentials-in-env-or-configmap. */
const SECRET_NAME = /(passw(or)?d|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential|auth)/i;
const NOT_SECRET_NAME = /(_file|_path|_dir|_url|_endpoint|_enabled|_name|_user(name)?|_id)$/i;

export function isSecretName(name: string): boolean {
  return NAMED.has(name.toUpperCase()) || (SECRET_NAME.test(name) && !NOT_SECRET_NAME.test(name));
}

/** Files that hold credentials: `.env`, `id_rsa*`, `*.pem`, `*.key`, `.npmrc`, `.pypirc`, `.netrc`, `.aws/`, `.docker/config.json`, `kubeconfig`. */
export function isSecretFile(source: string): boolean {
  const path = source.replace(/\/+$/, '');
  const name = path.slice(path.lastIndexOf('/') + 1);
  return /^\.env(\.(?!example|sample|template|dist)[\w.-]+)?$/.test(name) || /^id_(rsa|dsa|ecdsa|ed25519)/.test(name) || /\.(pem|key)$/.test(name)
    || /^(\.npmrc|\.pypirc|\.netrc|kubeconfig)$/.test(name) || /(^|\/)\.aws(\/|$)/.test(path) || /(^|\/)\.docker\/config\.json$/.test(path)
    || /(^|\/)\.kube\/config$/.test(path);
}

/** The final stage and the earlier stages it is built FROM (their ENV and files are inherited). */
function finalChain(parsed: ParsedDockerfile): Stage[] {
  const chain: Stage[] = [];
  let stage = parsed.stages[parsed.stages.length - 1];
  while (stage && chain.length < 32) {
    chain.unshift(stage);
    const image = stage.image.toLowerCase();
    stage = parsed.stages.slice(0, stage.index).reverse().find((s) => s.name === image);
  }
  return chain;
}

/** COPY/ADD sources: every word but the last, flags and heredocs aside; JSON form too. */
function sources(args: string): string[] {
  const rest = args.replace(/^(--\S+\s+)*/, '').trim();
  let words: string[];
  if (rest.startsWith('[')) {
    try {
      words = (JSON.parse(rest) as unknown[]).map(String);
    } catch {
      words = rest.split(/\s+/);
    }
  } else {
    words = rest.split(/\s+/).filter(Boolean);
  }
  return words.slice(0, -1).filter((w) => !w.startsWith('<<'));
}

export const check: Check = {
  id: CHECK_ID,
  layer: 'code',
  title: 'Secrets baked into the image',
  severity: 'critical',
  description:
    'Inspects ENV, ARG, COPY and ADD of the final stage of every Dockerfile/Containerfile (and of the earlier stages it is built FROM). ' +
    'ENV with a value whose name is a well-known credential variable (AWS_SECRET_ACCESS_KEY, GITHUB_TOKEN, NPM_TOKEN, OPENAI_API_KEY, …) or matches ' +
    'the generic secret-name rule of cluster/credentials-in-env-or-configmap fails critical; such an ARG fails high (build arguments are recorded in the image history). ' +
    'COPY/ADD of .env, id_rsa*, *.pem, *.key, .npmrc, .pypirc, .netrc, .aws/, .docker/config.json or kubeconfig fails high. Values are never shown.',
  remediation: 'Pass build secrets with BuildKit secret mounts, keep credential files out of the build context, and rotate anything already baked in.',
  references: [ref.trivy('DS-0031'), ref.nsa('Network separation (Secrets)'), ref.doc('Docker build secrets', 'https://docs.docker.com/build/building/secrets/')],
  needs: ['files'],
  evaluate: (snapshot) => {
    const dockerfiles = filesOf(snapshot, ['docker']);
    if (dockerfiles.length === 0) return notApplicable('no Dockerfile or Containerfile in the scanned tree');
    const out = new CodeFindings(CHECK_ID, 'critical');
    for (const file of dockerfiles) {
      for (const stage of finalChain(parseDockerfile(file.text))) {
        for (const ins of stage.instructions) {
          if (ins.keyword === 'ENV') {
            for (const { name, value } of envEntries(ins)) {
              if (!isSecretName(name) || value === '' || (isPlaceholder(value) && !/^\$\{?\w+\}?$/.test(value))) continue;
              const fromArg = /^\$\{?\w+\}?$/.test(value);
              out.add({
                file, line: ins.line, severity: 'critical', discriminator: `${ins.line}:ENV:${name}`,
                message: `ENV ${name} ${fromArg ? 'copies a build argument into' : 'sets a literal value in'} the image (value not shown, ${value.length} chars)`,
                value: `ENV ${name}=<redacted>`,
                remediation: { why: WHY, fix: FIX_SECRET },
              });
            }
          } else if (ins.keyword === 'ARG') {
            for (const { name } of argEntries(ins)) {
              if (!isSecretName(name)) continue;
              out.add({
                file, line: ins.line, severity: 'high', discriminator: `${ins.line}:ARG:${name}`,
                message: `ARG ${name} passes a secret as a build argument, which the image history records`,
                value: `ARG ${name}`,
                remediation: { why: WHY, fix: FIX_SECRET },
              });
            }
          } else if (ins.keyword === 'COPY' || ins.keyword === 'ADD') {
            for (const src of sources(ins.args)) {
              if (!isSecretFile(src)) continue;
              out.add({
                file, line: ins.line, severity: 'high', discriminator: `${ins.line}:${src}`,
                message: `${ins.keyword} puts the credential file "${src}" into the image`,
                value: snippet(ins.original),
                remediation: { why: WHY, fix: FIX_FILE },
              });
            }
          }
        }
      }
    }
    return findings(out.drafts, out.note());
  },
};
