/**
 * The one keymap (STYLE.md rule 7, DESIGN.md §4): each command's keys and description. It
 * drives the input hook, the help bar, the `?` overlay and the README's key table, so they
 * cannot disagree.
 */
import type { Key } from 'ink';

export type Command =
  | 'nextLayer' | 'prevLayer' | 'layer1' | 'layer2' | 'layer3' | 'layer4'
  | 'up' | 'down' | 'top' | 'bottom' | 'pageUp' | 'pageDown'
  | 'open' | 'back'
  | 'runCheck' | 'runLayer' | 'runAll'
  | 'search' | 'copyCommand' | 'copyPatch' | 'accept' | 'unaccept'
  | 'cycleSort' | 'cycleSeverity' | 'commandLine' | 'help' | 'quit' | 'openDemo';

type NamedKey = 'tab' | 'upArrow' | 'downArrow' | 'leftArrow' | 'rightArrow' | 'return' | 'escape' | 'pageUp' | 'pageDown' | 'home' | 'end';

/** One key: a printable input, or a named key, optionally with ctrl/shift. */
export interface KeySpec {
  readonly input?: string;
  readonly key?: NamedKey;
  readonly ctrl?: boolean;
  readonly shift?: boolean;
}

export interface Binding {
  readonly command: Command;
  readonly keys: readonly KeySpec[];
  /** How the keys are written in help and the README. */
  readonly label: string;
  readonly description: string;
  /** Shown in the footer's help bar (short form). */
  readonly bar?: string;
  /** Which bar entries survive a narrow terminal: lower numbers are kept first. */
  readonly barPriority?: number;
}

export const KEYMAP: readonly Binding[] = [
  { command: 'nextLayer', keys: [{ key: 'tab' }, { input: 'l' }, { key: 'rightArrow' }], label: 'tab, l, →', description: 'next layer', bar: 'layer', barPriority: 6 },
  { command: 'prevLayer', keys: [{ key: 'tab', shift: true }, { input: 'h' }, { key: 'leftArrow' }], label: 'shift-tab, h, ←', description: 'previous layer' },
  { command: 'layer1', keys: [{ input: '1' }], label: '1', description: 'Cloud layer' },
  { command: 'layer2', keys: [{ input: '2' }], label: '2', description: 'Cluster layer' },
  { command: 'layer3', keys: [{ input: '3' }], label: '3', description: 'Container layer' },
  { command: 'layer4', keys: [{ input: '4' }], label: '4', description: 'Code layer' },
  { command: 'down', keys: [{ input: 'j' }, { key: 'downArrow' }], label: 'j, ↓', description: 'move down', bar: 'move', barPriority: 7 },
  { command: 'up', keys: [{ input: 'k' }, { key: 'upArrow' }], label: 'k, ↑', description: 'move up' },
  { command: 'top', keys: [{ input: 'g' }, { key: 'home' }], label: 'g, home', description: 'go to the first row' },
  { command: 'bottom', keys: [{ input: 'G' }, { key: 'end' }], label: 'G, end', description: 'go to the last row' },
  { command: 'pageDown', keys: [{ key: 'pageDown' }, { input: 'f', ctrl: true }], label: 'pgdn, ctrl-f', description: 'page down' },
  { command: 'pageUp', keys: [{ key: 'pageUp' }, { input: 'b', ctrl: true }], label: 'pgup, ctrl-b', description: 'page up' },
  { command: 'open', keys: [{ key: 'return' }], label: 'enter', description: 'open the findings / the detail', bar: 'open', barPriority: 3 },
  { command: 'back', keys: [{ key: 'escape' }], label: 'esc', description: 'back: close search, detail or overlay; with nothing open, cancel a running scan', bar: 'back', barPriority: 4 },
  { command: 'runCheck', keys: [{ input: 'r', ctrl: false }], label: 'r', description: 'run the selected check', bar: 'run', barPriority: 8 },
  { command: 'runLayer', keys: [{ input: 'R' }], label: 'R', description: 'run every check of the current layer' },
  { command: 'runAll', keys: [{ input: 'r', ctrl: true }], label: 'ctrl-r', description: 'run everything', bar: 'run all', barPriority: 5 },
  { command: 'search', keys: [{ input: '/' }], label: '/', description: 'fuzzy search; filters sev:high ns:payments kind:Deployment check:rbac layer:cluster', bar: 'search', barPriority: 2 },
  { command: 'copyCommand', keys: [{ input: 'c' }], label: 'c', description: 'copy the remediation command (OSC 52 and the system clipboard)', bar: 'copy', barPriority: 9 },
  { command: 'copyPatch', keys: [{ input: 'y' }], label: 'y', description: 'copy the YAML patch' },
  { command: 'accept', keys: [{ input: 'a' }], label: 'a', description: 'accept the risk of the selected finding (reason and expiry)', bar: 'accept', barPriority: 10 },
  { command: 'unaccept', keys: [{ input: 'u' }], label: 'u', description: 'remove the acceptance of the selected finding' },
  { command: 'cycleSort', keys: [{ input: 's' }], label: 's', description: 'cycle sort: severity, resource, check' },
  { command: 'cycleSeverity', keys: [{ input: 'f' }], label: 'f', description: 'filter by minimum severity (cycles)' },
  { command: 'commandLine', keys: [{ input: ':' }], label: ':', description: 'command: :ctx NAME, :ns NAME|all, :export json|sarif|markdown PATH, :q' },
  { command: 'openDemo', keys: [{ input: 'd' }], label: 'd', description: 'open the demo cluster (when no cluster is reachable)' },
  { command: 'help', keys: [{ input: '?' }], label: '?', description: 'help: every key', bar: 'help', barPriority: 1 },
  { command: 'quit', keys: [{ input: 'q' }, { input: 'c', ctrl: true }], label: 'q, ctrl-c', description: 'quit', bar: 'quit', barPriority: 0 },
];

function matches(spec: KeySpec, input: string, key: Key): boolean {
  if (spec.key) {
    if (!key[spec.key]) return false;
    if (spec.key === 'tab' && Boolean(spec.shift) !== key.shift) return false;
    return true;
  }
  if (spec.input === undefined) return false;
  if (Boolean(spec.ctrl) !== key.ctrl) return false;
  if (key.meta || key.escape || key.return || key.tab) return false;
  return input === spec.input;
}

/** The command a key press means, if any. */
export function commandFor(input: string, key: Key): Command | undefined {
  return KEYMAP.find((b) => b.keys.some((spec) => matches(spec, input, key)))?.command;
}

export interface BarItem {
  readonly keys: string;
  readonly text: string;
}

/**
 * The footer: the bar entries in keymap order, dropping the least important ones until
 * they fit `width` (two spaces between entries); quit and help always stay.
 */
export function helpBar(width = Number.POSITIVE_INFINITY): readonly BarItem[] {
  const entries = KEYMAP.filter((b) => b.bar).map((b) => ({ keys: b.label.split(', ')[0] ?? b.label, text: b.bar ?? '', priority: b.barPriority ?? 99 }));
  const size = (items: readonly BarItem[]) => items.reduce((n, i) => n + i.keys.length + 1 + i.text.length, 0) + Math.max(0, items.length - 1) * 2;
  const kept = [...entries];
  while (kept.length > 2 && size(kept) > width) {
    const worst = kept.reduce((a, b) => (b.priority > a.priority ? b : a));
    kept.splice(kept.indexOf(worst), 1);
  }
  return kept.map(({ keys, text }) => ({ keys, text }));
}

/** The key table of the README and the `?` overlay. */
export function keyTable(): string {
  return ['| key | action |', '|---|---|', ...KEYMAP.map((b) => `| ${b.label.split(', ').map((k) => `\`${k}\``).join(', ')} | ${b.description} |`)].join('\n');
}
