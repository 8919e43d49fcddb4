/**
 * The etcd TLS audit shared by cloud/etcd-client-tls and cloud/etcd-peer-tls: the two
 * listeners take the same five kinds of flags (certificate, key, client-certificate auth,
 * trusted CA, auto TLS) plus URL flags, under different names. One table per listener.
 */
import { flagEvidence, type ComponentInstance, type FlagChange } from './control-plane.js';
import type { Evidence } from './types.js';

export interface EtcdListener {
  /** Certificate and key flags with the kubeadm path the fix suggests. */
  readonly files: readonly (readonly [flag: string, kubeadmPath: string])[];
  readonly auth: { readonly flag: string; readonly why: string };
  readonly ca: { readonly flag: string; readonly why: string; readonly kubeadmPath: string };
  readonly autoTls: { readonly flag: string; readonly why: string };
  /** URL flags, etcd's default when absent, and what the fix sets when it was defaulted. */
  readonly urls: readonly { readonly flag: string; readonly fallback?: string; readonly defaultedFix?: string; readonly plainWord: string }[];
}

/** URLs of a comma-separated URL flag; `fallback` when the flag is absent (etcd's built-in default). */
export function urlList(instance: ComponentInstance, flag: string, fallback?: string): { urls: string[]; defaulted: boolean } {
  const list = instance.flags.list(flag);
  if (list.length > 0) return { urls: list, defaulted: false };
  return { urls: fallback ? [fallback] : [], defaulted: fallback !== undefined };
}

/** https URLs for the same hosts and ports, for the fix. */
export function httpsUrls(urls: readonly string[]): string {
  return urls.map((u) => u.replace(/^http:\/\//i, 'https://')).join(',');
}

/** What is wrong with one member's listener, its evidence and the flag changes that fix it. */
export function auditEtcdListener(instance: ComponentInstance, listener: EtcdListener): { problems: string[]; evidence: Evidence[]; changes: FlagChange[] } {
  const f = instance.flags;
  const problems: string[] = [];
  const evidence: Evidence[] = [];
  const changes: FlagChange[] = [];
  for (const [flag, value] of listener.files) {
    if ((f.get(flag) ?? '').trim() !== '') continue;
    problems.push(`no --${flag}`);
    evidence.push(flagEvidence(instance, flag));
    changes.push({ flag, value });
  }
  if (f.bool(listener.auth.flag, false) !== true) {
    problems.push(`--${listener.auth.flag} is not true (${listener.auth.why})`);
    evidence.push(flagEvidence(instance, listener.auth.flag, 'absent (default false)'));
    changes.push({ flag: listener.auth.flag, value: 'true' });
  }
  if ((f.get(listener.ca.flag) ?? '').trim() === '') {
    problems.push(`no --${listener.ca.flag}${listener.ca.why ? ` (${listener.ca.why})` : ''}`);
    evidence.push(flagEvidence(instance, listener.ca.flag));
    changes.push({ flag: listener.ca.flag, value: listener.ca.kubeadmPath });
  }
  if (f.bool(listener.autoTls.flag, false) === true) {
    problems.push(`--${listener.autoTls.flag}=true (${listener.autoTls.why})`);
    evidence.push(flagEvidence(instance, listener.autoTls.flag));
    changes.push({ flag: listener.autoTls.flag, remove: true });
  }
  for (const { flag, fallback, defaultedFix, plainWord } of listener.urls) {
    const { urls, defaulted } = urlList(instance, flag, fallback);
    const plain = urls.filter((u) => /^http:\/\//i.test(u.trim()));
    if (plain.length === 0) continue;
    problems.push(`--${flag} ${defaulted ? `absent (etcd default ${plain.join(',')})` : `${plainWord}: ${plain.join(',')}`}`);
    evidence.push(flagEvidence(instance, flag, `absent (default ${fallback ?? ''})`));
    changes.push({ flag, value: defaulted && defaultedFix ? defaultedFix : httpsUrls(urls) });
  }
  return { problems, evidence, changes };
}
