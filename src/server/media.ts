/**
 * Content negotiation on the Accept header. Kubernetes clients pick a representation with media
 * type parameters (`application/json;as=Table;v=v1;g=meta.k8s.io`), listed in order of
 * preference and usually ending in plain `application/json` as the fallback.
 */

export type Representation = 'json' | 'table' | 'metadata' | 'discovery';

/** The Content-Type of an answer; client-go reads the `as`/`g`/`v` parameters back. */
export function contentType(representation: Representation, list: boolean): string {
  switch (representation) {
    case 'json': return 'application/json';
    case 'table': return 'application/json;as=Table;v=v1;g=meta.k8s.io';
    case 'metadata': return `application/json;as=${list ? 'PartialObjectMetadataList' : 'PartialObjectMetadata'};v=v1;g=meta.k8s.io`;
    case 'discovery': return 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
  }
}

interface MediaRange {
  readonly type: string;
  readonly params: ReadonlyMap<string, string>;
  readonly q: number;
}

function parseAccept(accept: string): MediaRange[] {
  return accept
    .split(',')
    .map((part) => {
      const [type = '', ...rest] = part.split(';').map((s) => s.trim());
      const params = new Map<string, string>();
      for (const p of rest) {
        const eq = p.indexOf('=');
        if (eq > 0) params.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'));
      }
      const q = params.has('q') ? Number(params.get('q')) : 1;
      return { type: type.toLowerCase(), params, q: Number.isNaN(q) ? 0 : q };
    })
    .filter((r) => r.type !== '' && r.q > 0);
}

/** `as`/`g`/`v` of a media range as one string, e.g. `Table meta.k8s.io v1`; '' for plain JSON. */
const target = (r: MediaRange): string =>
  r.params.has('as') ? `${r.params.get('as')} ${r.params.get('g') ?? ''} ${r.params.get('v') ?? ''}` : '';

/**
 * The first acceptable representation in the client's order (stable-sorted by q), or
 * undefined when nothing offered is acceptable (406). `list` selects between the list and
 * single-object forms of metadata-only answers.
 */
export function negotiate(accept: string | undefined, offers: readonly Representation[], list: boolean): Representation | undefined {
  const ranges = parseAccept(accept === undefined || accept.trim() === '' ? '*/*' : accept).sort((a, b) => b.q - a.q);
  for (const r of ranges) {
    const jsonType = r.type === 'application/json' || r.type === 'application/*' || r.type === '*/*';
    if (!jsonType) continue;
    const wanted = target(r);
    const match = offers.find((o) => {
      switch (o) {
        case 'json': return wanted === '';
        case 'table': return wanted === 'Table meta.k8s.io v1';
        case 'metadata': return wanted === `${list ? 'PartialObjectMetadataList' : 'PartialObjectMetadata'} meta.k8s.io v1`;
        case 'discovery': return wanted === 'APIGroupDiscoveryList apidiscovery.k8s.io v2';
      }
      return false;
    });
    if (match) return match;
  }
  return undefined;
}
