import { describe, expect, it } from 'vitest';
import { argEntries, envEntries, expandVariables, globalArgDefaults, parseDockerfile } from '../../src/engine/dockerfile.js';

const keywords = (text: string) => parseDockerfile(text).instructions.map((i) => [i.keyword, i.line]);

describe('parseDockerfile: instructions and lines', () => {
  it('reads keywords case-insensitively with 1-based line numbers, skipping comments and blanks', () => {
    const text = '# comment\nfrom alpine:3.20\n\n  run echo hi\n# another\nUSER app\n';
    expect(keywords(text)).toEqual([['FROM', 2], ['RUN', 4], ['USER', 6]]);
  });

  it('joins backslash continuations and keeps the start line', () => {
    const file = parseDockerfile('FROM alpine\nRUN apk add \\\n    curl \\\n    git\nUSER 1000\n');
    const run = file.instructions[1]!;
    expect(run.args).toBe('apk add     curl     git');
    expect(run.line).toBe(2);
    expect(run.endLine).toBe(4);
    expect(file.instructions[2]).toMatchObject({ keyword: 'USER', line: 5 });
  });

  it('skips comment and empty lines inside a continuation', () => {
    const file = parseDockerfile('FROM alpine\nRUN echo a \\\n# not part of the command\n\n  && echo b\nUSER 1\n');
    expect(file.instructions[1]?.args).toBe('echo a   && echo b');
    expect(file.instructions[2]).toMatchObject({ keyword: 'USER', line: 6 });
  });

  it('accepts a continuation with trailing blanks after the escape character', () => {
    const file = parseDockerfile('FROM alpine\nRUN a \\   \n  b\n');
    expect(file.instructions[1]?.args).toBe('a   b');
  });

  it('does not treat a # inside an instruction as a comment', () => {
    expect(parseDockerfile('FROM alpine\nRUN echo "#x" # y\n').instructions[1]?.args).toBe('echo "#x" # y');
  });

  it('honours the # escape=` directive (Windows style)', () => {
    const file = parseDockerfile('# escape=`\nFROM mcr.microsoft.com/windows/servercore\nRUN dir c:\\ `\n  && echo done\nUSER ContainerUser\n');
    expect(file.escape).toBe('`');
    expect(file.instructions[1]?.args).toBe('dir c:\\   && echo done');
    expect(file.instructions[2]).toMatchObject({ keyword: 'USER', line: 5 });
  });

  it('ignores an escape directive after a comment or instruction', () => {
    expect(parseDockerfile('# hello\n# escape=`\nFROM a\n').escape).toBe('\\');
    expect(parseDockerfile('FROM a\n# escape=`\n').escape).toBe('\\');
    expect(parseDockerfile('# syntax=docker/dockerfile:1\n# escape=`\nFROM a\n')).toMatchObject({ escape: '`', directives: { syntax: 'docker/dockerfile:1' } });
  });

  it('handles CRLF line endings', () => {
    expect(keywords('FROM a\r\nRUN b \\\r\n c\r\nUSER 0\r\n')).toEqual([['FROM', 1], ['RUN', 2], ['USER', 4]]);
  });

  it('parses leading flags', () => {
    const file = parseDockerfile('FROM --platform=$BUILDPLATFORM golang:1.23 AS build\nCOPY --chown=app:app --link src/ /src/\n');
    expect(file.instructions[0]?.flags).toEqual([{ name: 'platform', value: '$BUILDPLATFORM' }]);
    expect(file.instructions[1]?.flags).toEqual([{ name: 'chown', value: 'app:app' }, { name: 'link' }]);
  });
});

describe('parseDockerfile: heredocs', () => {
  it('reads a RUN heredoc body and resumes after the terminator', () => {
    const text = 'FROM alpine\nRUN <<EOF\nset -e\nUSER root\necho done\nEOF\nUSER 10001\n';
    const file = parseDockerfile(text);
    expect(file.instructions.map((i) => i.keyword)).toEqual(['FROM', 'RUN', 'USER']);
    const run = file.instructions[1]!;
    expect(run.heredocs).toEqual([{ name: 'EOF', body: 'set -e\nUSER root\necho done', stripTabs: false, quoted: false }]);
    expect(run.endLine).toBe(6);
    expect(file.instructions[2]).toMatchObject({ args: '10001', line: 7 });
  });

  it('strips leading tabs with <<- and reads quoted delimiters and several heredocs', () => {
    const text = 'FROM alpine\nCOPY <<-"A" <<B /dst/\n\tone\n\tA\ntwo\nB\nUSER app\n';
    const file = parseDockerfile(text);
    expect(file.instructions[1]?.heredocs).toEqual([
      { name: 'A', body: 'one', stripTabs: true, quoted: true },
      { name: 'B', body: 'two', stripTabs: false, quoted: false },
    ]);
    expect(file.instructions[2]).toMatchObject({ keyword: 'USER', line: 7 });
  });

  it('does not read heredocs for other instructions or shift operators', () => {
    const file = parseDockerfile('FROM alpine\nRUN echo $((1<<2))\nUSER 1\n');
    expect(file.instructions[1]?.heredocs).toEqual([]);
    expect(file.instructions).toHaveLength(3);
  });
});

describe('parseDockerfile: stages and ARGs', () => {
  const text = [
    'ARG BASE=debian:12',
    'ARG VERSION',
    'FROM golang:1.23 AS Build',
    'RUN go build',
    'FROM ${BASE}',
    'COPY --from=build /app /app',
    'USER 10001',
  ].join('\n');

  it('splits stages at FROM with names (lower-cased) and images', () => {
    const file = parseDockerfile(text);
    expect(file.stages.map((s) => [s.index, s.image, s.name, s.from.line, s.instructions.map((i) => i.keyword)])).toEqual([
      [0, 'golang:1.23', 'build', 3, ['RUN']],
      [1, '${BASE}', undefined, 5, ['COPY', 'USER']],
    ]);
  });

  it('collects ARGs before the first FROM with their defaults', () => {
    const file = parseDockerfile(text);
    expect(file.globalArgs.map((i) => i.line)).toEqual([1, 2]);
    expect([...globalArgDefaults(file)]).toEqual([['BASE', 'debian:12'], ['VERSION', undefined]]);
  });

  it('has no stages without FROM', () => {
    expect(parseDockerfile('# nothing\n').stages).toEqual([]);
  });
});

describe('ARG / ENV entries', () => {
  const ins = (line: string) => parseDockerfile(`FROM a\n${line}\n`).instructions[1]!;
  it('reads ARG names and defaults', () => {
    expect(argEntries(ins('ARG A B=2 C="x y"'))).toEqual([{ name: 'A' }, { name: 'B', value: '2' }, { name: 'C', value: 'x y' }]);
  });
  it('reads ENV key=value pairs and the legacy form', () => {
    expect(envEntries(ins('ENV A=1 B="two words"'))).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: 'two words' }]);
    expect(envEntries(ins('ENV APP_USER app user'))).toEqual([{ name: 'APP_USER', value: 'app user' }]);
  });
});

describe('expandVariables', () => {
  const vars = new Map<string, string | undefined>([['A', 'app'], ['EMPTY', ''], ['NODEF', undefined]]);
  it.each([
    ['$A', 'app'],
    ['${A}:${A}', 'app:app'],
    ['${MISSING:-root}', 'root'],
    ['${EMPTY:-x}', 'x'],
    ['${EMPTY-x}', ''],
    ['${A:+set}', 'set'],
    ['${MISSING:+set}', ''],
    ['\\$A', '$A'],
    ['plain', 'plain'],
    ['$', '$'],
  ])('%s → %s', (text, expected) => expect(expandVariables(text, vars)).toBe(expected));
  it('is undefined when a variable has no value', () => {
    expect(expandVariables('$MISSING', vars)).toBeUndefined();
    expect(expandVariables('${NODEF}', vars)).toBeUndefined();
  });
});
