import { admissionPlugin, applicationNamespaces, controlPlaneFix, describeInstance, evaluateControlPlane, instanceFinding, withAdmissionPlugin } from '../../src/engine/control-plane.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';

const ADMISSION_DIR = '/etc/kubernetes/admission';

const ADMISSION_CONFIG = [
  'apiVersion: apiserver.config.k8s.io/v1',
  'kind: AdmissionConfiguration',
  'plugins:',
  '- name: EventRateLimit',
  '  configuration:',
  '    apiVersion: eventratelimit.admission.k8s.io/v1alpha1',
  '    kind: Configuration',
  '    limits:',
  '    - type: Namespace',
  '      qps: 50',
  '      burst: 100',
  '      cacheSize: 2000',
  '    - type: User',
  '      qps: 10',
  '      burst: 50',
].join('\n');

export const check: Check = {
  id: 'cluster/admission-event-rate-limit',
  layer: 'cluster',
  title: 'EventRateLimit admission plugin not enabled',
  severity: 'low',
  description:
    'Reads the admission plugin flags and --admission-control-config-file of every kube-apiserver static pod (D-CP), one finding per control-plane ' +
    'node. Fails (low) when EventRateLimit is not enabled on a multi-tenant cluster (more than one application namespace); warns on single-tenant ' +
    'clusters (CIS marks it Manual). The limits themselves live in the admission configuration file, which is not visible. Managed control planes ' +
    'are unable with the provider command.',
  remediation: 'Enable the EventRateLimit admission plugin with limits in the admission configuration file.',
  references: [ref.cis('1.2.9'), ref.kubescape('C-0121'), ref.trivy('KCV-0010')],
  needs: ['pods'],
  optionalNeeds: ['namespaces', 'nodes', 'version', 'kubeconfig', 'system-configmaps'],
  evaluate: (snapshot) => {
    const tenants = applicationNamespaces(snapshot);
    const multi = tenants.names.length > 1;
    return evaluateControlPlane(snapshot, ['kube-apiserver'], (instance) => {
      const state = admissionPlugin(instance, 'EventRateLimit');
      const configFile = instance.flags.get('admission-control-config-file');
      if (state.enabled) {
        return { note: `EventRateLimit is enabled; its limits are in ${configFile ?? 'the admission configuration file'}, which is not visible` };
      }
      const changes = [withAdmissionPlugin(instance, 'EventRateLimit')];
      const files = configFile ? [] : [{ path: `${ADMISSION_DIR}/admission-config.yaml`, content: ADMISSION_CONFIG }];
      if (!configFile) changes.push({ flag: 'admission-control-config-file', value: `${ADMISSION_DIR}/admission-config.yaml` });
      const tenancy = multi
        ? `${tenants.names.length} application namespaces share the API server`
        : `single-tenant cluster (${tenants.names.length} application namespace${tenants.names.length === 1 ? '' : 's'}${tenants.partial ? ', namespace list partial' : ''})`;
      return {
        findings: [instanceFinding(instance, {
          message: `${describeInstance(instance)} does not enable the EventRateLimit admission plugin (${state.why}); ${tenancy}`,
          status: multi ? 'fail' : 'warn',
          evidence: [...state.evidence, { path: 'namespaces', value: `${tenants.names.length} application namespace(s)` }],
          remediation: {
            why: 'Any identity that may create Events (every kubelet and most controllers, and tenants with edit rights) can flood the API server and etcd with them; EventRateLimit caps Events per namespace, user or source.',
            fix: configFile
              ? `Add EventRateLimit to the admission plugins and an EventRateLimit entry to the existing admission configuration file ${configFile} (example limits in the patch).`
              : 'Create the admission configuration file (patch), mount it into the API server, and add EventRateLimit and --admission-control-config-file on every control-plane node.',
            ...controlPlaneFix(snapshot, instance, changes, {
              files: configFile ? [{ path: `${configFile} (add this plugin entry)`, content: ADMISSION_CONFIG }] : files,
              mounts: configFile ? [] : [{ name: 'admission-config', hostPath: ADMISSION_DIR, mountPath: ADMISSION_DIR, readOnly: true }],
            }),
          },
        })],
      };
    });
  },
};
