/**
 * Kubernetes minor versions with their upstream release and end-of-life dates, plus the
 * providers' extended-support windows: the one dated data module behind
 * cluster/outdated-kubernetes-version (and anything else that asks "is this minor supported").
 * The supported set is always computed from a `now` passed in, never from the clock here.
 *
 * Source: https://kubernetes.io/releases/ and the per-minor pages https://kubernetes.io/releases/1.NN/
 * ("End Of Life Date"); 1.30's EOL was extended to 2025-07-15. EKS dates from the EKS user guide
 * ("14 months standard support, then 12 months extended support") and endoflife.date/amazon-eks.
 * Update this table with every upstream minor release (about every four months).
 */

/** When this table was compiled; a scan long after it may meet minors the table does not know. */
export const VERSION_TABLE_COMPILED = '2026-11-28';
export const VERSION_TABLE_SOURCE = 'https://kubernetes.io/releases/';

export interface MinorRelease {
  readonly minor: number;
  /** Upstream x.y.0 release date (UTC, inclusive). */
  readonly released: string;
  /** Upstream end-of-life date: the last day with patch support (UTC, inclusive). */
  readonly endOfLife: string;
}

/** Kubernetes 1.x minors, oldest first. Anything older than the first row is long out of support. */
export const KUBERNETES_MINORS: readonly MinorRelease[] = [
  { minor: 25, released: '2022-08-23', endOfLife: '2023-10-28' },
  { minor: 26, released: '2022-12-09', endOfLife: '2024-02-28' },
  { minor: 27, released: '2023-04-11', endOfLife: '2024-06-28' },
  { minor: 28, released: '2023-08-15', endOfLife: '2024-10-28' },
  { minor: 29, released: '2023-12-13', endOfLife: '2025-02-28' },
  { minor: 30, released: '2024-04-17', endOfLife: '2025-07-15' },
  { minor: 31, released: '2024-08-13', endOfLife: '2025-10-28' },
  { minor: 32, released: '2024-12-11', endOfLife: '2026-02-28' },
  { minor: 33, released: '2025-04-23', endOfLife: '2026-06-28' },
  { minor: 34, released: '2025-08-27', endOfLife: '2026-10-27' },
  { minor: 35, released: '2025-12-17', endOfLife: '2027-02-28' },
  { minor: 36, released: '2026-04-22', endOfLife: '2027-06-28' },
  { minor: 37, released: '2026-08-26', endOfLife: '2027-10-28' },
];

export type SupportProvider = 'aws' | 'gcp' | 'azure';

export interface ProviderSupport {
  readonly name: string;
  /** What the provider calls its longer window. */
  readonly program: string;
  /** Last day of the provider's support for a minor (standard or extended), when known. */
  readonly end: (minor: number) => { readonly date: string; readonly approximate: boolean } | undefined;
  /** One line for messages. */
  readonly note: string;
}

/** EKS: end of extended support per minor (standard support ends 12 months earlier). */
const EKS_EXTENDED_END: Readonly<Record<number, string>> = {
  28: '2025-11-26', 29: '2026-03-23', 30: '2026-07-23', 31: '2026-11-26', 32: '2027-03-23',
  33: '2027-07-29', 34: '2027-12-02', 35: '2028-03-27',
};

function addMonths(isoDate: string, months: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

function upstream(minor: number): MinorRelease | undefined {
  return KUBERNETES_MINORS.find((r) => r.minor === minor);
}

export const PROVIDER_SUPPORT: Readonly<Record<SupportProvider, ProviderSupport>> = {
  aws: {
    name: 'Amazon EKS',
    program: 'extended support',
    end: (minor) => {
      const date = EKS_EXTENDED_END[minor];
      if (date) return { date, approximate: false };
      // EKS releases a minor about a month after upstream; 14 + 12 months from then.
      const r = upstream(minor);
      return r ? { date: addMonths(r.released, 27), approximate: true } : undefined;
    },
    note: 'EKS gives 14 months of standard support, then 12 months of paid extended support (on by default unless the upgrade policy is STANDARD)',
  },
  gcp: {
    name: 'Google GKE',
    program: 'the Extended release channel',
    // GKE: about 14 months standard, up to 24 months on the Extended channel, counted from GKE availability.
    end: (minor) => {
      const r = upstream(minor);
      return r ? { date: addMonths(r.released, 25), approximate: true } : undefined;
    },
    note: 'GKE supports a minor for about 14 months, up to 24 months for clusters enrolled in the Extended release channel',
  },
  azure: {
    name: 'Azure AKS',
    program: 'Long-Term Support (Premium tier)',
    // AKS: 12 months community support; LTS adds a year (2 years from AKS GA, about 2 months after upstream).
    end: (minor) => {
      const r = upstream(minor);
      return r ? { date: addMonths(r.released, 26), approximate: true } : undefined;
    },
    note: 'AKS supports a minor for 12 months; clusters on the Premium tier with Long-Term Support get about 2 years',
  },
};

export interface ParsedVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch?: number;
}

/** `v1.33.4`, `v1.31.2-eks-7f9249a`, `1.30.5-gke.1014001`, `v1.29.3+k3s1`; undefined when unparsable. */
export function parseKubeVersion(text: string | undefined): ParsedVersion | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec((text ?? '').trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), ...(m[3] !== undefined ? { patch: Number(m[3]) } : {}) };
}

/** D-VER: major/minor with non-digits stripped (`"33+"` on managed clusters), else from gitVersion. */
export function serverVersion(version: { readonly major: string; readonly minor: string; readonly gitVersion: string } | undefined): ParsedVersion | undefined {
  if (!version) return undefined;
  const major = Number(version.major.replace(/\D/g, ''));
  const minor = Number(version.minor.replace(/\D/g, ''));
  const git = parseKubeVersion(version.gitVersion);
  if (version.major.replace(/\D/g, '') !== '' && version.minor.replace(/\D/g, '') !== '' && Number.isFinite(major) && Number.isFinite(minor)) {
    return { major, minor, ...(git?.patch !== undefined && git.major === major && git.minor === minor ? { patch: git.patch } : {}) };
  }
  return git;
}

export type SupportState = 'supported' | 'end-of-life' | 'unreleased' | 'newer-than-table';

export interface MinorSupport {
  readonly state: SupportState;
  readonly release?: MinorRelease;
}

const DAY_MS = 86_400_000;

/** True while `now` is on or before the (inclusive) date. */
export function onOrBefore(now: Date, isoDate: string): boolean {
  return now.getTime() < Date.parse(`${isoDate}T00:00:00Z`) + DAY_MS;
}

/** Upstream support state of 1.`minor` at `now`. Minors newer than the table are assumed supported. */
export function minorSupport(major: number, minor: number, now: Date): MinorSupport {
  if (major !== 1) return { state: major > 1 ? 'newer-than-table' : 'end-of-life' };
  const release = upstream(minor);
  const last = KUBERNETES_MINORS[KUBERNETES_MINORS.length - 1];
  // The table is contiguous: a minor it lacks is either older than its first row or newer than its last.
  if (!release) return { state: last && minor > last.minor ? 'newer-than-table' : 'end-of-life' };
  if (now.getTime() < Date.parse(`${release.released}T00:00:00Z`)) return { state: 'unreleased', release };
  return { state: onOrBefore(now, release.endOfLife) ? 'supported' : 'end-of-life', release };
}

/** The upstream-supported minors at `now`, newest first (e.g. [37, 36, 35] on 2026-11-28). */
export function supportedMinors(now: Date): number[] {
  return KUBERNETES_MINORS.filter((r) => minorSupport(1, r.minor, now).state === 'supported').map((r) => r.minor).reverse();
}

/** The provider's support end for a minor and whether `now` is still inside it. */
export function providerSupport(provider: SupportProvider, minor: number, now: Date): { readonly inSupport: boolean; readonly date: string; readonly approximate: boolean } | undefined {
  const end = PROVIDER_SUPPORT[provider].end(minor);
  return end ? { inSupport: onOrBefore(now, end.date), ...end } : undefined;
}

/** The scan time: when the snapshot's data was collected, else now. */
export function scanTime(snapshot: { readonly collectedAt?: string }): Date {
  const at = snapshot.collectedAt ? Date.parse(snapshot.collectedAt) : NaN;
  return Number.isFinite(at) ? new Date(at) : new Date();
}

export function isSupportProvider(id: string | undefined): id is SupportProvider {
  return id === 'aws' || id === 'gcp' || id === 'azure';
}
