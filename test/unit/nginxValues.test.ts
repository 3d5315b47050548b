// nginx's value parsers as we reproduce them: what each accepts (and its value), what it refuses, what it suggests.

import { strict as assert } from 'node:assert';
import {
  hasPlaceholder,
  parseNginxFlag,
  parseNginxNumber,
  parseNginxOffset,
  parseNginxSize,
  parseNginxTime,
  parseNginxValue,
  parseNginxWord,
  parseTimeValue,
  type ValueResult,
} from '../../server/src/languages/nginx/values';

const value = (result: ValueResult): number | undefined => (result.ok ? result.value : undefined);
const refused = (result: ValueResult): boolean => !result.ok;
const replacement = (result: ValueResult): string | undefined => (result.ok ? undefined : result.replacement);

describe('nginx value parsers', () => {
  describe('sizes (ngx_parse_size)', () => {
    it('reads bytes and the k and m units in either case', () => {
      assert.equal(value(parseNginxSize('512')), 512);
      assert.equal(value(parseNginxSize('8k')), 8192);
      assert.equal(value(parseNginxSize('8K')), 8192);
      assert.equal(value(parseNginxSize('10m')), 10 * 1024 * 1024);
      assert.equal(value(parseNginxSize('10M')), 10 * 1024 * 1024);
      assert.equal(value(parseNginxSize('0')), 0);
    });

    it('refuses g, spaces, signs, fractions, other units and empty values', () => {
      for (const bad of ['1g', '10 m', '-1', '1.5m', '10mb', '10MB', 'k', '', ' 10m', '10b', 'abc', '+5']) {
        assert.ok(refused(parseNginxSize(bad)), bad);
      }
    });

    it('refuses sizes beyond 64-bit limits', () => {
      assert.ok(refused(parseNginxSize('9223372036854775808')));
      assert.ok(refused(parseNginxSize('9007199254740993m')));
    });

    it('suggests the size as nginx writes it', () => {
      assert.equal(replacement(parseNginxSize('10MB')), '10m');
      assert.equal(replacement(parseNginxSize('10 M')), '10m');
      assert.equal(replacement(parseNginxSize('1g')), '1024m');
      assert.equal(replacement(parseNginxSize('1.5m')), '1536k');
      assert.equal(replacement(parseNginxSize('64KB')), '64k');
      assert.equal(replacement(parseNginxSize('abc')), undefined);
    });
  });

  describe('offsets (ngx_parse_offset)', () => {
    it('also takes g', () => {
      assert.equal(value(parseNginxOffset('1g')), 1024 ** 3);
      assert.equal(value(parseNginxOffset('4G')), 4 * 1024 ** 3);
      assert.equal(value(parseNginxOffset('100m')), 100 * 1024 ** 2);
    });

    it('refuses t and other units, and suggests g', () => {
      assert.ok(refused(parseNginxOffset('1t')));
      assert.ok(refused(parseNginxOffset('2GB')));
      assert.equal(replacement(parseNginxOffset('2GB')), '2g');
    });
  });

  describe('times (ngx_parse_time)', () => {
    it('reads milliseconds with units up to weeks', () => {
      assert.equal(parseTimeValue('500ms', 'msec'), 500n);
      assert.equal(parseTimeValue('10s', 'msec'), 10_000n);
      assert.equal(parseTimeValue('10', 'msec'), 10_000n);
      assert.equal(parseTimeValue('1h30m', 'msec'), 5_400_000n);
      assert.equal(parseTimeValue('1h 30m', 'msec'), 5_400_000n);
      assert.equal(parseTimeValue('1s500ms', 'msec'), 1500n);
      assert.equal(parseTimeValue('1w', 'msec'), 604_800_000n);
      assert.equal(parseTimeValue('0', 'msec'), 0n);
    });

    it('reads seconds with years and months, and no milliseconds', () => {
      assert.equal(parseTimeValue('1y', 'sec'), 365n * 86400n);
      assert.equal(parseTimeValue('1M', 'sec'), 30n * 86400n);
      assert.equal(parseTimeValue('30d', 'sec'), 30n * 86400n);
      assert.equal(parseTimeValue('65', 'sec'), 65n);
      assert.equal(parseTimeValue('500ms', 'sec'), undefined);
    });

    it('refuses what nginx refuses', () => {
      for (const bad of [
        '10 s',
        '-1',
        '1.5s',
        '10S',
        '1y',
        '1M',
        '30m1h',
        '10ss',
        's',
        '',
        '1d2d',
        'off',
        '1H',
      ]) {
        assert.equal(parseTimeValue(bad, 'msec'), undefined, bad);
      }
      for (const bad of ['10 s', '-1', '1.5s', '10S', '1ms', '1s1m']) {
        assert.equal(parseTimeValue(bad, 'sec'), undefined, bad);
      }
    });

    it('reads a bare number after a space as seconds, the way nginx does', () => {
      // nginx accepts "10 20" as 10s + 20s: odd, but not an error.
      assert.equal(parseTimeValue('10 20', 'msec'), 30_000n);
      assert.equal(parseTimeValue('1m 10 20', 'msec'), 90_000n);
      assert.equal(parseTimeValue('1s 10 20', 'msec'), undefined);
      assert.equal(parseTimeValue('10 1s', 'msec'), undefined);
    });

    it('refuses overflowing times', () => {
      assert.equal(parseTimeValue('9999999999999999999', 'sec'), undefined);
      assert.equal(parseTimeValue('999999999999999999w', 'msec'), undefined);
    });

    it('suggests a time nginx reads', () => {
      assert.equal(replacement(parseNginxTime('10 S', 'msec')), '10s');
      assert.equal(replacement(parseNginxTime('10 s', 'msec')), '10s');
      assert.equal(replacement(parseNginxTime('1.5s', 'msec')), '1500ms');
      assert.equal(replacement(parseNginxTime('1.5h', 'msec')), '1h30m');
      assert.equal(replacement(parseNginxTime('30 sec', 'sec')), '30s');
      assert.equal(replacement(parseNginxTime('5min', 'msec')), '5m');
      assert.equal(replacement(parseNginxTime('1H 30M', 'msec')), '1h30m');
      assert.equal(replacement(parseNginxTime('1.5s', 'sec')), undefined);
      assert.equal(replacement(parseNginxTime('-1', 'sec')), undefined);
    });

    it('says why', () => {
      const reason = (r: ValueResult): string => (r.ok ? '' : r.reason);
      assert.match(reason(parseNginxTime('-1', 'msec')), /negative/);
      assert.match(reason(parseNginxTime('1.5s', 'msec')), /fraction/);
      assert.match(reason(parseNginxTime('1y', 'msec')), /weeks/);
      assert.match(reason(parseNginxTime('500ms', 'sec')), /whole seconds/);
      assert.match(reason(parseNginxTime('10 s', 'msec')), /space/);
    });
  });

  describe('numbers (ngx_atoi)', () => {
    it('takes digits only', () => {
      assert.equal(value(parseNginxNumber('1024')), 1024);
      assert.equal(value(parseNginxNumber('0')), 0);
      assert.equal(value(parseNginxNumber(`${'0'.repeat(40)}7`)), 7);
      assert.ok(refused(parseNginxNumber('9'.repeat(100_000))));
      for (const bad of ['-1', '+1', '1.0', '1k', '', ' 1', '0x10']) {
        assert.ok(refused(parseNginxNumber(bad)), bad);
      }
    });
  });

  describe('flags', () => {
    it('compares on and off case-insensitively, like nginx', () => {
      assert.ok(parseNginxFlag('on').ok);
      assert.ok(parseNginxFlag('OFF').ok);
      assert.ok(parseNginxFlag('On').ok);
      assert.equal(replacement(parseNginxFlag('yes')), 'on');
      assert.equal(replacement(parseNginxFlag('false')), 'off');
      assert.ok(refused(parseNginxFlag('maybe')));
      assert.equal(replacement(parseNginxFlag('maybe')), undefined);
    });
  });

  describe('enumerations and bitmasks', () => {
    const proxied = [
      'off',
      'expired',
      'no-cache',
      'no-store',
      'private',
      'no_last_modified',
      'no_etag',
      'auth',
      'any',
    ];

    it('accepts the words in any case', () => {
      assert.ok(parseNginxWord('ANY', proxied).ok);
      assert.ok(parseNginxWord('no-cache', proxied).ok);
    });

    it('refuses other words with nothing to suggest when none is close', () => {
      const result = parseNginxWord('must-revalidate', proxied);
      assert.ok(!result.ok);
      assert.equal(result.replacement, undefined);
    });

    it('suggests the close word for a typo', () => {
      assert.equal(replacement(parseNginxWord('no_cache', proxied)), 'no-cache');
      assert.equal(
        replacement(parseNginxWord('TLSv1.4', ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'])),
        undefined,
      );
    });

    it('parseNginxValue dispatches by kind and leaves words without a list alone', () => {
      assert.ok(parseNginxValue('1.1', { kind: 'enum', values: ['1.0', '1.1'] }).ok);
      assert.ok(refused(parseNginxValue('2', { kind: 'enum', values: ['1.0', '1.1'] })));
      assert.ok(parseNginxValue('anything', { kind: 'enum' }).ok);
      assert.ok(refused(parseNginxValue('1g', { kind: 'size' })));
      assert.ok(parseNginxValue('1g', { kind: 'off' }).ok);
      assert.ok(refused(parseNginxValue('1y', { kind: 'msec' })));
      assert.ok(parseNginxValue('1y', { kind: 'sec' }).ok);
      assert.ok(refused(parseNginxValue('x', { kind: 'num' })));
    });
  });

  describe('placeholders', () => {
    it('recognises variables and template placeholders', () => {
      for (const text of [
        '$size',
        '${MAX_BODY}',
        '{{ max_body }}',
        '{% if x %}',
        '<%= size %>',
        '@SIZE@',
        '1$x',
        '__PORT__',
        '__XXXXXX__',
        '<port>',
      ]) {
        assert.ok(hasPlaceholder(text), text);
      }
      for (const text of ['10m', 'user@example.com', 'a{b}', '__init__', 'a<b']) {
        assert.ok(!hasPlaceholder(text), text);
      }
    });
  });
});
