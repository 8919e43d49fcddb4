/**
 * Pure container-image reference helpers shared by the image checks (CHECKS.md §4):
 * splitting a reference into repository, tag and digest, finding its registry host, matching
 * hosts against a trusted-registry allowlist, and reading the digest a pod really runs from
 * `status.*ContainerStatuses[].imageID` (which only ever *suggests* a digest; §7 trap 16).
 */
import type { Pod } from './k8s.js';

export interface ImageReference {
  /** Everything before the tag and digest, e.g. `registry:5000/team/app`. */
  readonly repository: string;
  readonly tag?: string;
  /** The text after `@`, e.g. `sha256:…` (not validated; see `pinnedDigest`). */
  readonly digest?: string;
}

/**
 * CHECKS.md row `container/image-latest-or-untagged`: split off `@digest` first; the tag is
 * the text after the last `:` only if that `:` comes after the last `/` (so
 * `registry:5000/app` has no tag).
 */
export function parseImageReference(image: string): ImageReference {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const colon = name.lastIndexOf(':');
  const slash = name.lastIndexOf('/');
  const hasTag = colon > slash;
  return {
    repository: hasTag ? name.slice(0, colon) : name,
    ...(hasTag ? { tag: name.slice(colon + 1) } : {}),
    ...(digest !== undefined && digest !== '' ? { digest } : {}),
  };
}

/** Why the reference is mutable, or undefined when it is pinned by a digest or a non-latest tag. */
export function mutableReason(image: string): 'no tag' | 'tag latest' | undefined {
  const parsed = parseImageReference(image);
  if (parsed.digest) return undefined;
  if (parsed.tag === undefined || parsed.tag === '') return 'no tag';
  return parsed.tag === 'latest' ? 'tag latest' : undefined;
}

/** OCI digest grammar: `algorithm:encoded`, with a hex encoding of at least 128 bits. */
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/;

/**
 * The `@<algorithm>:<hex>` digest that pins `image`, or undefined (no `@`, or text after it
 * that is not a digest, e.g. `app@latest`). CHECKS.md row `container/image-not-pinned-by-digest`.
 */
export function pinnedDigest(image: string): string | undefined {
  const { digest } = parseImageReference(image);
  return digest !== undefined && DIGEST.test(digest) ? digest : undefined;
}

/**
 * The repository digest in an `imageID` (`docker-pullable://nginx@sha256:…`,
 * `docker.io/library/nginx@sha256:…`), or undefined. A bare image config id
 * (`sha256:…` without a repository) is not a pullable digest, so it is not returned.
 */
export function digestFromImageID(imageID: string | undefined): string | undefined {
  if (!imageID) return undefined;
  const at = imageID.lastIndexOf('@');
  if (at < 0) return undefined;
  const digest = imageID.slice(at + 1);
  return /^sha256:[0-9a-f]{64}$/.test(digest) ? digest : undefined;
}

interface ContainerStatus { readonly name: string; readonly image?: string; readonly imageID?: string }

/** The status entry of a container (init, regular or ephemeral) in a live pod. */
export function containerStatus(pod: Pod | undefined, container: string): ContainerStatus | undefined {
  const status = pod?.status;
  if (!status) return undefined;
  const ephemeral = Array.isArray(status['ephemeralContainerStatuses']) ? (status['ephemeralContainerStatuses'] as readonly ContainerStatus[]) : [];
  return [...(status.containerStatuses ?? []), ...(status.initContainerStatuses ?? []), ...ephemeral].find((s) => s.name === container);
}

/** The digest a live container runs (from its imageID), for suggesting a pin; never proof of pinning. */
export function runningDigest(pod: Pod | undefined, container: string): string | undefined {
  return digestFromImageID(containerStatus(pod, container)?.imageID);
}

export const DEFAULT_REGISTRY = 'docker.io';

/**
 * The registry host of a reference (CHECKS.md row `container/untrusted-registry`): the first
 * path component if it contains `.` or `:` or equals `localhost`, else `docker.io`. Lower-cased,
 * port kept (`registry.local:5000`).
 */
export function imageRegistry(image: string): string {
  const { repository } = parseImageReference(image.trim());
  const slash = repository.indexOf('/');
  if (slash < 0) return DEFAULT_REGISTRY;
  const first = repository.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first.toLowerCase() : DEFAULT_REGISTRY;
}

/**
 * Repository path inside its registry, with Docker Hub's implicit `library/` for official
 * images: `nginx` → `library/nginx`, `ghcr.io/acme/api:1` → `acme/api`.
 */
export function imagePath(image: string): string {
  const { repository } = parseImageReference(image.trim());
  const registry = imageRegistry(image);
  const explicit = repository.indexOf('/') >= 0 && repository.slice(0, repository.indexOf('/')).toLowerCase() === registry;
  const path = explicit ? repository.slice(repository.indexOf('/') + 1) : repository;
  return registry === DEFAULT_REGISTRY && !path.includes('/') ? `library/${path}` : path;
}

/** `host:port` → host and optional port; `[::1]:5000` → `[::1]`, `5000`. */
function splitHostPort(hostPort: string): { host: string; port?: string } {
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(hostPort);
  if (!m) return { host: hostPort };
  return { host: m[1] ?? hostPort, ...(m[2] !== undefined ? { port: m[2] } : {}) };
}

/**
 * Does `entry` of the trusted-registry allowlist cover `image`? An entry is a host (suffix
 * match on DNS labels: `example.com` covers `registry.example.com`, not `badexample.com`),
 * optionally with a port (then the port must match) and a repository path prefix
 * (`ghcr.io/acme` covers `ghcr.io/acme/api`, not `ghcr.io/acme2/api`). A leading scheme or
 * `*.` and a trailing `/` are ignored. Docker Hub aliases (`index.docker.io`,
 * `registry-1.docker.io`) count as `docker.io`.
 */
export function registryEntryCovers(entry: string, image: string): boolean {
  const cleaned = entry.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^\*\./, '').replace(/\/+$/, '').toLowerCase();
  if (cleaned === '') return false;
  const slash = cleaned.indexOf('/');
  const entryHostPort = slash < 0 ? cleaned : cleaned.slice(0, slash);
  const entryPath = slash < 0 ? '' : cleaned.slice(slash + 1);
  const want = splitHostPort(entryHostPort);
  const have = splitHostPort(canonicalRegistry(imageRegistry(image)));
  const wantHost = canonicalRegistry(want.host);
  const hostOk = have.host === wantHost || have.host.endsWith(`.${wantHost}`);
  if (!hostOk) return false;
  if (want.port !== undefined && want.port !== have.port) return false;
  if (entryPath === '') return true;
  const path = imagePath(image).toLowerCase();
  return path === entryPath || path.startsWith(`${entryPath}/`);
}

function canonicalRegistry(host: string): string {
  return host === 'index.docker.io' || host === 'registry-1.docker.io' || host === 'registry.hub.docker.com' ? DEFAULT_REGISTRY : host;
}

/** The first allowlist entry that covers `image`, or undefined. */
export function trustedBy(allowlist: readonly string[], image: string): string | undefined {
  return allowlist.find((entry) => registryEntryCovers(entry, image));
}
