import { parseDockerfile } from '../../src/engine/dockerfile.js';
import { findings, notApplicable } from '../../src/engine/helpers.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';
import { CodeFindings, filesOf, snippet } from '../../src/files/code-check.js';

const CHECK_ID = 'code/dockerfile-remote-fetch';
const WHY = 'Content fetched at build time without verification can change or be replaced by an attacker; piping it into a shell runs whatever the server returns as root in the build.';

/** `curl … | sh`, `wget -O- … | bash` (also `sudo sh`, `sh -s --`). */
export const PIPE_TO_SHELL = /\b(curl|wget)\b[^|;&]*\|\s*(sudo\s+(-\S+\s+)*)?(ba|z|da|k)?sh\b/;

export const check: Check = {
  id: CHECK_ID,
  layer: 'code',
  title: 'Unverified remote content in build',
  severity: 'low',
  description:
    'Inspects RUN and ADD instructions (continuations and heredoc bodies included) of every Dockerfile/Containerfile. ' +
    'RUN curl … | sh or wget -O- … | sh fails medium (executes unverified code); ADD http(s)://… without --checksum=sha256:… fails low.',
  remediation: 'Download a pinned version, verify its checksum or signature before use, and prefer package managers with lockfiles.',
  references: [ref.trivy('DS-0005'), ref.trivy('DS-0014'), ref.fourC('3rd Party Dependency Security')],
  needs: ['files'],
  evaluate: (snapshot) => {
    const dockerfiles = filesOf(snapshot, ['docker']);
    if (dockerfiles.length === 0) return notApplicable('no Dockerfile or Containerfile in the scanned tree');
    const out = new CodeFindings(CHECK_ID, 'low');
    for (const file of dockerfiles) {
      for (const ins of parseDockerfile(file.text).instructions) {
        if (ins.keyword === 'RUN') {
          const scripts = [ins.args, ...ins.heredocs.map((h) => h.body)];
          if (scripts.some((s) => s.split('\n').some((l) => PIPE_TO_SHELL.test(l)) || PIPE_TO_SHELL.test(s.replace(/\\\n/g, ' ')))) {
            out.add({
              file, line: ins.line, severity: 'medium', message: 'RUN pipes a downloaded script into a shell (executes unverified code)', value: snippet(ins.original),
              remediation: { why: WHY, fix: 'Download to a file, verify it (sha256sum -c with a pinned checksum, or a signature), then run it; better, install a pinned version from a package manager.' },
            });
          }
        } else if (ins.keyword === 'ADD') {
          const rest = ins.args.replace(/^(--\S+\s+)*/, '');
          const url = /^(https?:\/\/\S+)/.exec(rest)?.[1];
          if (url && !ins.flags.some((f) => f.name === 'checksum' && /^sha256:[0-9a-f]{64}$/i.test(f.value ?? ''))) {
            out.add({
              file, line: ins.line, severity: 'low', message: `ADD ${url} downloads without --checksum=sha256:…`, value: snippet(ins.original),
              remediation: { why: WHY, fix: `Add --checksum=sha256:<digest> to the ADD (BuildKit verifies it), or download with RUN and verify with sha256sum -c.`, patch: `ADD --checksum=sha256:<digest> ${rest}` },
            });
          }
        }
      }
    }
    return findings(out.drafts, out.note());
  },
};
