import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitColumns } from '../../server/src/companion/columns';
import { parseJsonConfig, parseTomlConfig } from '../../server/src/companion/config-locations';

test('splitColumns: whitespace, quotes and escapes', () => {
  const columns = splitColumns('u  app\t"App \\"x\\" service" /var/lib/app');
  assert.deepEqual(columns.map((column) => [column.value, column.start, column.end, column.quoted]), [
    ['u', 0, 1, false],
    ['app', 3, 6, false],
    ['App "x" service', 7, 26, true],
    ['/var/lib/app', 27, 39, false],
  ]);
  assert.equal(splitColumns("f 'a b").at(-1)?.unterminated, true);
  assert.deepEqual(splitColumns('   '), []);
});

test('TOML locations: headers, arrays of tables, dotted keys, inline tables and arrays', () => {
  const text = '[[a.b]]\nx = 1\n[[a.b]]\nx = 2\n[a.b.c]\nd.e = "v"\nf = [{ g = "h" }, "i"]\nm = """\nq\n"""\n';
  const parsed = parseTomlConfig(text);
  assert.ok(parsed.ok);
  const at = (start: number, end: number) => text.slice(start, end);
  const locations = parsed.locations;
  assert.deepEqual(locations.occurrences(['a', 'b']).map((location) => [at(location.key.start, location.key.end), location.header?.kind]), [['b', 'array'], ['b', 'array'], ['b', undefined]], 'the key is also written in [a.b.c]');
  const second = locations.valueOrKey(['a', 'b', 1, 'x'])!;
  assert.equal(at(second.start, second.end), '2');
  const dotted = locations.valueOrKey(['a', 'b', 1, 'c', 'd', 'e'])!;
  assert.equal(at(dotted.start, dotted.end), '"v"');
  const inline = locations.valueOrKey(['a', 'b', 1, 'c', 'f', 0, 'g'])!;
  assert.equal(at(inline.start, inline.end), '"h"');
  const element = locations.valueOrKey(['a', 'b', 1, 'c', 'f', 1])!;
  assert.equal(at(element.start, element.end), '"i"');
  const multiline = locations.valueOrKey(['a', 'b', 1, 'c', 'm'])!;
  assert.equal(at(multiline.start, multiline.end), '"""\nq\n"""');
  assert.deepEqual(JSON.parse(JSON.stringify(parsed.value)), { a: { b: [{ x: 1 }, { x: 2, c: { d: { e: 'v' }, f: [{ g: 'h' }, 'i'], m: 'q\n' } }] } });
});

test('JSON locations: keys without quotes, values, array elements; errors with offsets', () => {
  const text = '{"a": {"b": [1, {"c": "d"}]}, "e": null}';
  const parsed = parseJsonConfig(text);
  assert.ok(parsed.ok);
  const key = parsed.locations.key(['a', 'b', 1, 'c'])!;
  assert.equal(text.slice(key.start, key.end), 'c');
  const value = parsed.locations.valueOrKey(['a', 'b', 0])!;
  assert.equal(text.slice(value.start, value.end), '1');
  assert.deepEqual(parsed.value, JSON.parse(text));
  const broken = parseJsonConfig('{"a": 1,}');
  assert.ok(!broken.ok);
  assert.equal(broken.error.offset, 8);
  const trailing = parseJsonConfig('{} x');
  assert.ok(!trailing.ok);
  assert.equal(trailing.error.offset, 3);
});
