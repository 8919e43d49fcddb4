import { parseDockerfile } from '../../src/engine/dockerfile.js';
import { containersOf, findings, notApplicable } from '../../src/engine/helpers.js';
import type { K8sObject, PodSpec } from '../../src/engine/k8s.js';
import { ref } from '../../src/engine/references.js';
import { podSpecPath } from '../../src/engine/snapshot.js';
import type { Check } from '../../src/engine/types.js';
import { CodeFindings, filesOf, snippet } from '../../src/files/code-check.js';
import { treeManifests } from '../../src/files/code-manifests.js';

const CHECK_ID = 'code/unnecessary-exposed-ports';
const WHY = 'The 4C\'s page says to expose only the ports essential for communication or metrics; debug and admin ports give direct code execution or shell access to whoever reaches them.';
const FIX = 'Remove the port or flag from the image and manifests; debug through kubectl port-forward to a local-only listener instead.';

export const DEBUG_PORTS: ReadonlyMap<number, string> = new Map([
  [22, 'SSH'], [23, 'Telnet'], [2375, 'plain Docker API'], [5005, 'Java debugger (JDWP)'], [9229, 'Node.js inspector'], [6060, 'Go pprof'], [1099, 'Java RMI'],
]);

/** Debugger/JMX flags listening beyond loopback. */
export const DEBUG_FLAGS: readonly (readonly [string, RegExp])[] = [
  ['Node.js inspector on all interfaces', /--inspect(-brk)?=(0\.0\.0\.0|\[::\]|\*)(:\d+)?\b/],
  ['Java debugger (JDWP) on all interfaces', /-agentlib:jdwp=[^\s"']*address=(\*|0\.0\.0\.0):?\d+/],
  ['JMX without authentication', /-Dcom\.sun\.management\.jmxremote\.authenticate=false\b/],
];

function podSpecOf(object: K8sObject): PodSpec | undefined {
  let node: unknown = object;
  for (const part of podSpecPath(object.kind ?? '').split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  return typeof node === 'object' && node !== null ? (node as PodSpec) : undefined;
}

function templateLabels(object: K8sObject): Record<string, string> {
  const path = podSpecPath(object.kind ?? '').replace(/\.spec$/, '.metadata.labels').replace(/^spec$/, 'metadata.labels');
  let node: unknown = object;
  for (const part of path.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
  return (node ?? {}) as Record<string, string>;
}

export const check: Check = {
  id: CHECK_ID,
  layer: 'code',
  title: 'Debug or excessive ports exposed',
  severity: 'medium',
  description:
    'Inspects Dockerfile EXPOSE and CMD/ENTRYPOINT/ENV, and in manifests container ports, Service port/targetPort and container command/args/env. ' +
    'Ports 22, 23, 2375, 5005, 9229, 6060 and 1099 fail medium; debugger flags reachable from outside (--inspect=0.0.0.0, -agentlib:jdwp with address=*:, ' +
    '-Dcom.sun.management.jmxremote.authenticate=false) fail medium; EXPOSE ranges and ports outside 1–65535 fail low; a Service targetPort that matches ' +
    'no container port of the workloads it selects in the same files fails low.',
  remediation: 'Expose only the ports the application serves and reach debug endpoints through kubectl port-forward.',
  references: [ref.fourC('Limiting port ranges of communication'), ref.trivy('DS-0004'), ref.trivy('DS-0008'), ref.kubescape('C-0042')],
  needs: ['files'],
  evaluate: (snapshot) => {
    const dockerfiles = filesOf(snapshot, ['docker']);
    const manifests = treeManifests(snapshot);
    if (dockerfiles.length === 0 && manifests.objects.length === 0) return notApplicable('no Dockerfile or Kubernetes manifest in the scanned tree');
    const out = new CodeFindings(CHECK_ID, 'medium');
    const flagHits = (file: (typeof dockerfiles)[number], line: number, text: string, where: string) => {
      for (const [what, regex] of DEBUG_FLAGS) {
        if (regex.test(text)) out.add({ file, line, message: `${what} (${where})`, value: snippet(text), discriminator: `${line}:${what}:${where}`, remediation: { why: WHY, fix: FIX } });
      }
    };

    for (const file of dockerfiles) {
      for (const ins of parseDockerfile(file.text).instructions) {
        if (ins.keyword === 'EXPOSE') {
          for (const word of ins.args.split(/\s+/).filter(Boolean)) {
            const spec = word.replace(/\/(tcp|udp|sctp)$/i, '');
            const range = /^(\d+)-(\d+)$/.exec(spec);
            const port = Number(spec);
            if (range) {
              out.add({ file, line: ins.line, severity: 'low', message: `EXPOSE ${word} declares a port range`, value: ins.original, discriminator: `${ins.line}:${word}`, remediation: { why: WHY, fix: 'Expose the individual ports the application listens on.' } });
            } else if (/^\d+$/.test(spec) && (port < 1 || port > 65535)) {
              out.add({ file, line: ins.line, severity: 'low', message: `EXPOSE ${word} is outside 1–65535`, value: ins.original, discriminator: `${ins.line}:${word}`, remediation: { why: WHY, fix: 'Fix the port number.' } });
            } else if (DEBUG_PORTS.has(port)) {
              out.add({ file, line: ins.line, message: `EXPOSE ${word}: ${DEBUG_PORTS.get(port)} port`, value: ins.original, discriminator: `${ins.line}:${word}`, remediation: { why: WHY, fix: FIX } });
            }
          }
        } else if (ins.keyword === 'CMD' || ins.keyword === 'ENTRYPOINT' || ins.keyword === 'ENV') {
          flagHits(file, ins.line, ins.args, ins.keyword);
        }
      }
    }

    const byPath = new Map((snapshot.files?.files ?? []).map((f) => [f.path, f]));
    const workloads = manifests.objects.filter((o) => podSpecOf(o.object) && o.object.kind !== 'Service');
    for (const { file: path, line, object } of manifests.objects) {
      const file = byPath.get(path);
      if (!file) continue;
      const name = object.metadata?.name ?? '';
      const namespace = object.metadata?.namespace;
      const subject = { kind: object.kind ?? '', name, ...(namespace ? { namespace } : {}) };
      const id = `${object.kind} "${namespace ? `${namespace}/` : ''}${name}"`;
      if (object.kind === 'Service') {
        const spec = (object.spec ?? {}) as { selector?: Record<string, string>; ports?: { port?: number; targetPort?: number | string; name?: string }[] };
        const selected = spec.selector && Object.keys(spec.selector).length > 0
          ? workloads.filter((w) => (w.object.metadata?.namespace ?? '') === (namespace ?? '') && Object.entries(spec.selector ?? {}).every(([k, v]) => templateLabels(w.object)[k] === v))
          : [];
        const declared = selected.flatMap((w) => containersOf(podSpecOf(w.object) as PodSpec).flatMap((c) => c.container.ports ?? []));
        for (const p of spec.ports ?? []) {
          const target = p.targetPort ?? p.port;
          for (const port of new Set([p.port, typeof target === 'number' ? target : undefined])) {
            if (port !== undefined && DEBUG_PORTS.has(port)) {
              out.add({ file, line, object: subject, message: `${id} exposes port ${port} (${DEBUG_PORTS.get(port)})`, value: `spec.ports[port=${p.port}]`, discriminator: `svc:${name}:${port}`, remediation: { why: WHY, fix: FIX } });
            }
          }
          if (selected.length > 0 && target !== undefined) {
            const matches = typeof target === 'number' ? declared.some((d) => d.containerPort === target) : declared.some((d) => d.name === target);
            // A numeric targetPort may be served without being declared; only flag when the workloads declare ports at all.
            if (!matches && (typeof target === 'string' || declared.length > 0)) {
              out.add({ file, line, object: subject, severity: 'low', message: `${id} targetPort ${target} matches no container port of the ${selected.length} workload(s) it selects`, value: `spec.ports[port=${p.port}].targetPort = ${target}`, discriminator: `svc:${name}:target:${target}`, remediation: { why: WHY, fix: 'Point targetPort at a port the container declares, or remove the unused Service port.' } });
            }
          }
        }
        continue;
      }
      const podSpec = podSpecOf(object);
      if (!podSpec) continue;
      const base = podSpecPath(object.kind ?? '');
      for (const { container, list } of containersOf(podSpec)) {
        for (const p of container.ports ?? []) {
          if (p.containerPort !== undefined && DEBUG_PORTS.has(p.containerPort)) {
            out.add({ file, line, object: { ...subject }, message: `container "${container.name}" of ${id} declares port ${p.containerPort} (${DEBUG_PORTS.get(p.containerPort)})`, value: `${base}.${list}[name=${container.name}].ports[containerPort=${p.containerPort}]`, discriminator: `${name}:${container.name}:${p.containerPort}`, remediation: { why: WHY, fix: FIX } });
          }
        }
        const words = [...(container.command ?? []), ...(container.args ?? []), ...(container.env ?? []).map((e) => e.value ?? '')].join(' ');
        for (const [what, regex] of DEBUG_FLAGS) {
          if (regex.test(words)) out.add({ file, line, object: subject, message: `${what} in container "${container.name}" of ${id}`, value: `${base}.${list}[name=${container.name}]: ${(regex.exec(words) ?? [''])[0]}`, discriminator: `${name}:${container.name}:${what}`, remediation: { why: WHY, fix: FIX } });
        }
      }
    }
    return findings(out.drafts, out.note());
  },
};
