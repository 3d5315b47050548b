// Helpers for the manifest tests: the text a span covers, the words of a command line, every span of a launch (to
// check that each lies inside the text), and random edits of real-looking manifests for the no-throw properties.

import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type {
  ContainerCommand,
  ContainerLaunch,
  Span,
} from '../../server/src/languages/commands/containerFacts';

/** The text a span covers. */
export function at(text: string, span: Span | undefined): string {
  assert.ok(span, 'expected a span');
  return text.slice(span.from, span.to);
}

/** The command's words as the program receives them. */
export function words(command: ContainerCommand | undefined): string[] {
  assert.ok(command, 'expected a command');
  return command.words.map((word) => word.text);
}

/** Every span a launch reports. */
export function spansOf(launch: ContainerLaunch): Span[] {
  const spans: Span[] = [launch.span];
  for (const command of launch.commands) spans.push(command.span, ...command.words);
  for (const variable of launch.env.values()) spans.push(variable.nameSpan, variable.value.span);
  spans.push(...launch.unknownEnv);
  for (const port of launch.ports) spans.push(port.port.span);
  for (const probe of launch.probes) {
    spans.push(probe.span);
    if (probe.path) spans.push(probe.path.span);
    if (probe.port) spans.push(probe.port.span);
  }
  for (const fact of [launch.stopGrace, launch.stopSignal, launch.cpuLimit, launch.memoryLimit]) {
    if (fact?.origin === 'file') spans.push(fact.span);
  }
  for (const value of [launch.image, launch.workingDir, launch.machineSize, launch.instances]) {
    if (value) spans.push(value.span);
  }
  if (launch.preStop) spans.push(launch.preStop.span);
  return spans;
}

/** Asserts that every span of the launches lies inside the text and is not reversed. */
export function assertSpansInside(text: string, launches: readonly ContainerLaunch[]): void {
  for (const launch of launches) {
    for (const span of spansOf(launch)) {
      assert.ok(
        span.from >= 0 && span.from <= span.to && span.to <= text.length,
        `bad span ${JSON.stringify(span)}`,
      );
    }
  }
}

/** Texts derived from `base`: characters deleted, inserted (YAML/TOML punctuation), lines duplicated, or cut. */
export function mutations(base: string): fc.Arbitrary<string> {
  const punctuation = fc.constantFrom(
    ':',
    '-',
    '[',
    ']',
    '{',
    '}',
    '"',
    "'",
    '|',
    '>',
    '#',
    '\n',
    '  ',
    '=',
    '\r\n',
    '\t',
    '&a',
    '*a',
    '{{',
    '}}',
  );
  return fc.oneof(
    fc.tuple(fc.nat(base.length), fc.nat(40)).map(([i, n]) => base.slice(0, i) + base.slice(i + n)),
    fc.tuple(fc.nat(base.length), punctuation).map(([i, s]) => base.slice(0, i) + s + base.slice(i)),
    fc.nat(base.length).map((i) => base.slice(0, i)),
    fc.tuple(fc.nat(base.length), fc.nat(base.length)).map(([i, j]) => {
      const [a, b] = i < j ? [i, j] : [j, i];
      return base.slice(0, b) + base.slice(a);
    }),
    fc.string({ maxLength: 200 }),
  );
}
