/**
 * Reference builders for the cross-references of CHECKS.md §1.9, so every check cites the
 * same sources with working URLs and titles spelled one way.
 */
import type { Reference } from './types.js';

const PSS_URL = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/';

export const ref = {
  /** Pod Security Standards control, e.g. `pss('baseline', 'Privileged Containers')`. */
  pss: (level: 'baseline' | 'restricted', control: string): Reference => ({ title: `PSS ${level}: ${control}`, url: `${PSS_URL}#${level}` }),
  /** CIS Kubernetes Benchmark v1.12 item. */
  cis: (id: string): Reference => ({ title: `CIS Kubernetes Benchmark v1.12 ${id}`, url: 'https://www.cisecurity.org/benchmark/kubernetes' }),
  /** NSA/CISA Kubernetes Hardening Guidance v1.2, by section title. */
  nsa: (section: string): Reference => ({
    title: `NSA/CISA Kubernetes Hardening Guidance: ${section}`,
    url: 'https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF',
  }),
  /** Kubescape control, e.g. `C-0057`. */
  kubescape: (id: string): Reference => ({ title: `Kubescape ${id}`, url: `https://hub.armosec.io/docs/${id.toLowerCase()}` }),
  /** Trivy check, e.g. `KSV-0017` (linked by its legacy `ksv017` id). */
  trivy: (id: string): Reference => {
    const [prefix = '', num = ''] = id.split('-');
    return { title: `Trivy ${id}`, url: `https://avd.aquasec.com/misconfig/${prefix.toLowerCase()}${num.replace(/^0(?=\d{3})/, '')}` };
  },
  /** Polaris check id. */
  polaris: (id: string): Reference => ({ title: `Polaris ${id}`, url: 'https://polaris.docs.fairwinds.com/checks/security/' }),
  /** A row of the 4C's page ("Overview of Cloud Native Security"). */
  fourC: (row: string): Reference => ({ title: `4C's of Cloud Native Security: ${row}`, url: 'https://kubernetes.io/docs/concepts/security/overview/' }),
  /** Any other page. */
  doc: (title: string, url: string): Reference => ({ title, url }),
};
