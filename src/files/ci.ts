/** Pure helpers for the CI-configuration checks (F-CI): where a tool or step appears. */
import type { SourceFile } from '../engine/snapshot.js';
import { isCommentLine, splitLines } from './code-check.js';

export interface CiHit {
  readonly file: SourceFile;
  /** 1-based. */
  readonly line: number;
  readonly text: string;
}

/** Every non-comment line of `files` that matches one of `patterns`. */
export function findAll(files: readonly SourceFile[], patterns: readonly RegExp[]): CiHit[] {
  const out: CiHit[] = [];
  for (const file of files) {
    splitLines(file.text).forEach((text, i) => {
      if (!isCommentLine(text) && patterns.some((p) => p.test(text))) out.push({ file, line: i + 1, text: text.trim() });
    });
  }
  return out;
}

export function findFirst(files: readonly SourceFile[], patterns: readonly RegExp[]): CiHit | undefined {
  return findAll(files, patterns)[0];
}
