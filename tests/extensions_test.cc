// The built-in extensions console, encoding, performance and crypto, end to end: tables of JS
// statements and exactly what they print, run by snapshot_run on the default snapshot.
//
// Every table row is run inside one script per table (a process start costs ~50 ms), each row in
// its own try block; a row that throws prints "threw <Error>: <message>". Expression rows use
// p(EXPR), which prints inspect(EXPR). Expected outputs are what Node 20 prints for the same rows
// (`node` is the oracle: the console formatter is a port of Node's util.inspect), except rows
// marked "Not Node's". Things that differ per run (stacks, clocks, random values) have their own
// tests at the end.
#include <sys/time.h>

#include <cstdio>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::StartsWith;

struct Row {
  const char* code;  // JS statements, run in their own block
  const char* out;   // exact stdout; a leading newline is dropped unless it is all there is
                     // (so multi-line literals can start on their own line)
  const char* err = "";
};

// Helpers every table script starts with. Rows are separated by a record separator line on both
// streams, so each row's output can be compared on its own.
constexpr char kPrelude[] = R"js(import { inspect } from "ext:console/console.js";
const print = (text, toStderr = false) => v8snap.core.print(text, toStderr);
const p = (value) => print(`${inspect(value)}\n`);
const hex = (text) => [...text].map((c) => c.codePointAt(0).toString(16)).join(" ");
const describe = (e) => e?.constructor?.name === e?.name || !e?.constructor
    ? `${e?.name}: ${e?.message}`
    : `${e.constructor.name} [${e.name}]: ${e.message}`;
)js";
constexpr char kSeparator[] = "\x1e\n";

std::string Expected(const char* text) {
  return text[0] == '\n' && text[1] != '\0' ? text + 1 : text;
}

std::vector<std::string> Split(const std::string& text) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t at; (at = text.find(kSeparator, start)) != std::string::npos;) {
    parts.push_back(text.substr(start, at - start));
    start = at + sizeof(kSeparator) - 1;
  }
  parts.push_back(text.substr(start));
  return parts;
}

double WallClockMs() {
  timeval tv;
  gettimeofday(&tv, nullptr);
  return tv.tv_sec * 1e3 + tv.tv_usec / 1e3;
}

class ExtensionsTest : public ::testing::Test {
 protected:
  // One default snapshot for the whole suite, built by the real builder.
  static void SetUpTestSuite() {
    snapshot_dir_ = new TempDir();
    build_ = new ToolResult(RunTool(
        "snapshot_builder", {"--manifest", SourcePath("manifests/default.textproto"), "--out",
                             Snapshot()}));
  }
  static void TearDownTestSuite() {
    delete build_;
    delete snapshot_dir_;
  }
  static std::string Snapshot() { return snapshot_dir_->path() + "/default.bin"; }

  void SetUp() override { ASSERT_EQ(build_->exit_code, 0) << build_->err; }

  ToolResult Run(const std::string& script_text) {
    std::string script = scripts_.Write("main" + std::to_string(++runs_) + ".js", script_text);
    return RunTool("snapshot_run", {"--snapshot", Snapshot(), script});
  }

  // Runs every row of `table` in one script and checks each row's stdout and stderr.
  template <size_t N>
  void ExpectTable(const Row (&table)[N]) {
    std::string script = kPrelude;
    for (const Row& row : table) {
      script += "try {\n";
      script += row.code;
      script += "\n} catch (e) {\n  print(`threw ${describe(e)}\\n`);\n}\n";
      script += "print('\\x1e\\n'); print('\\x1e\\n', true);\n";
    }
    ToolResult run = Run(script);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    std::vector<std::string> out = Split(run.out);
    std::vector<std::string> err = Split(run.err);
    ASSERT_EQ(out.size(), N + 1) << run.out;
    ASSERT_EQ(err.size(), N + 1) << run.err;
    for (size_t i = 0; i < N; ++i) {
      SCOPED_TRACE(table[i].code);
      EXPECT_EQ(out[i], Expected(table[i].out));
      EXPECT_EQ(err[i], Expected(table[i].err));
    }
  }

  static TempDir* snapshot_dir_;
  static ToolResult* build_;
  TempDir scripts_;
  int runs_ = 0;
};

TempDir* ExtensionsTest::snapshot_dir_ = nullptr;
ToolResult* ExtensionsTest::build_ = nullptr;

const Row kConsoleFormatting[] = {
    {R"js(console.log('%d items', 3, {a: 1, b: [1, 2, {c: 'x'}]});)js",
     "3 items { a: 1, b: [ 1, 2, { c: 'x' } ] }\n"},
    {R"js(console.log({ a: 1 }, [ 1, 2, 3 ], [], {});)js",
     "{ a: 1 } [ 1, 2, 3 ] [] {}\n"},
    {R"js(console.log('top-level string', ['nested', "it's", 'a"b\'c', 'all`${q}\'"']);)js",
     "top-level string [ 'nested', \"it's\", `a\"b'c`, 'all`${q}\\'\"' ]\n"},
    {R"js(console.log(new Map([['a', 1], ['b', 2]]), new Set([1]), new Map(), new Set());)js",
     "Map(2) { 'a' => 1, 'b' => 2 } Set(1) { 1 } Map(0) {} Set(0) {}\n"},
    {R"js(const c = { name: 'c' }; c.self = c; console.log(c);)js",
     "<ref *1> { name: 'c', self: [Circular *1] }\n"},
    {R"js(const a = {}; const b = { a }; a.b = b; a.me = a; console.log([a, b]);)js",
     R"--(
[
  <ref *1> { b: { a: [Circular *1] }, me: [Circular *1] },
  <ref *2> { a: <ref *1> { b: [Circular *2], me: [Circular *1] } }
]
)--"},
    {R"js(class Foo { constructor() { this.x = 1; } } console.log(new Foo(), new (class {})());)js",
     "Foo { x: 1 } {}\n"},
    {R"js(class Foo {} console.log(function f() {}, class A {}, class B extends Foo {}, () => {}, async function g() {}, function* h() {}, async function* k() {});)js",
     "[Function: f] [class A] [class B extends Foo] [Function (anonymous)] [AsyncFunction: g] [GeneratorFunction: h] [AsyncGeneratorFunction: k]\n"},
    {R"js(console.log(Symbol('x'), 123n, undefined, null, -0, 0, NaN, true, 1.5, -Infinity);)js",
     "Symbol(x) 123n undefined null -0 0 NaN true 1.5 -Infinity\n"},
    {R"js(console.log({ a: { b: { c: { d: 1 } } } }, [[[[1]]]], { a: { b: { c: new Map([[1, 2]]) } } });)js",
     "{ a: { b: { c: [Object] } } } [ [ [ [Array] ] ] ] { a: { b: { c: [Map] } } }\n"},
    {R"js(console.log({ a: 'x'.repeat(30), b: 'y'.repeat(30), c: 'z'.repeat(30) });)js",
     R"--(
{
  a: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  b: 'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyy',
  c: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz'
}
)--"},
    {R"js(console.log({ a: 'x'.repeat(20), b: 'y'.repeat(20), c: 'z'.repeat(10) });)js",
     R"--(
{
  a: 'xxxxxxxxxxxxxxxxxxxx',
  b: 'yyyyyyyyyyyyyyyyyyyy',
  c: 'zzzzzzzzzz'
}
)--"},
    {R"js(console.log(Array.from({ length: 30 }, (_, i) => i));)js",
     R"--(
[
   0,  1,  2,  3,  4,  5,  6,  7,  8,
   9, 10, 11, 12, 13, 14, 15, 16, 17,
  18, 19, 20, 21, 22, 23, 24, 25, 26,
  27, 28, 29
]
)--"},
    {R"js(console.log(Array.from({ length: 120 }, (_, i) => i * 3));)js",
     R"--(
[
    0,   3,   6,   9,  12,  15,  18,  21,  24,  27,  30,  33,
   36,  39,  42,  45,  48,  51,  54,  57,  60,  63,  66,  69,
   72,  75,  78,  81,  84,  87,  90,  93,  96,  99, 102, 105,
  108, 111, 114, 117, 120, 123, 126, 129, 132, 135, 138, 141,
  144, 147, 150, 153, 156, 159, 162, 165, 168, 171, 174, 177,
  180, 183, 186, 189, 192, 195, 198, 201, 204, 207, 210, 213,
  216, 219, 222, 225, 228, 231, 234, 237, 240, 243, 246, 249,
  252, 255, 258, 261, 264, 267, 270, 273, 276, 279, 282, 285,
  288, 291, 294, 297,
  ... 20 more items
]
)--"},
    {R"js(console.log(['a', 'bb', 'ccc', 'dddd', 'eeeee', 'ffffff', 'g']);)js",
     "[ 'a', 'bb', 'ccc', 'dddd', 'eeeee', 'ffffff', 'g' ]\n"},
    {R"js(console.log(Array.from({ length: 26 }, (_, i) => String.fromCharCode(97 + i).repeat(i % 4 + 1)));)js",
     R"--(
[
  'a', 'bb', 'ccc', 'dddd',
  'e', 'ff', 'ggg', 'hhhh',
  'i', 'jj', 'kkk', 'llll',
  'm', 'nn', 'ooo', 'pppp',
  'q', 'rr', 'sss', 'tttt',
  'u', 'vv', 'www', 'xxxx',
  'y', 'zz'
]
)--"},
    {R"js(console.log([{ id: 1, name: 'one', tags: ['a', 'b'] }, { id: 2, name: 'two', tags: [] }, { id: 3, name: 'three', nested: { deep: { deeper: true } } }]);)js",
     R"--(
[
  { id: 1, name: 'one', tags: [ 'a', 'b' ] },
  { id: 2, name: 'two', tags: [] },
  { id: 3, name: 'three', nested: { deep: [Object] } }
]
)--"},
    {R"js(console.log('%s|%i|%f|%j|%o|%O|%%|%c|%x', 'str', 42.9, '3.5abc', { a: [1] }, { a: [1] }, { a: [1] }, 'color: red');)js",
     "str|42|3.5|{\"a\":[1]}|{ a: [ 1, [length]: 1 ] }|{ a: [ 1 ] }|%||%x\n"},
    {R"js(console.log('%s', { a: { b: 1 } }, '%s'); console.log('%s', [1, [2]], 5n, Symbol('s'));)js",
     R"--(
{ a: [Object] } %s
[ 1, [Array] ] 5n Symbol(s)
)--"},
    {R"js(console.log('%d %i %f', '42', 7n, 'x'); console.log('%d', -0, {});)js",
     R"--(
42 7n NaN
-0 {}
)--"},
    {R"js(console.log('a%', 1); console.log('%s %s', 'only'); console.log('100%%', 'sure'); console.log('%', '%');)js",
     R"--(
a% 1
only %s
100% sure
% %
)--"},
    {R"js(const o = { toString() { return 'custom'; } }; console.log('%s', o); console.log('%s', new Error('e').message);)js",
     R"--(
custom
e
)--"},
    {R"js(console.log('%j', { toJSON() { return 'J'; } }); const j = {}; j.j = j; console.log('%j', j);)js",
     R"--(
"J"
[Circular]
)--"},
    {R"js(console.log(Object.create(null), Object.assign(Object.create(null), { a: 1 }));)js",
     "[Object: null prototype] {} [Object: null prototype] { a: 1 }\n"},
    {R"js(console.log({ 'a-b': 1, 1: 2, [Symbol('s')]: 3, get g() { return 1; }, set s(v) {}, get gs() { return 1; }, set gs(v) {} });)js",
     R"--(
{
  '1': 2,
  'a-b': 1,
  g: [Getter],
  s: [Setter],
  gs: [Getter/Setter],
  [Symbol(s)]: 3
}
)--"},
    {R"js(console.log([1, , 3], [, ,], new Array(5), [1, 2, , , 5]);)js",
     "[ 1, <1 empty item>, 3 ] [ <2 empty items> ] [ <5 empty items> ] [ 1, 2, <2 empty items>, 5 ]\n"},
    {R"js(console.log(new Date(0), new Date(NaN), /ab+c/gi);)js",
     "1970-01-01T00:00:00.000Z Invalid Date /ab+c/gi\n"},
    {R"js(console.log(new Uint8Array([1, 2, 3]), new Float64Array(2), new BigInt64Array(1), new ArrayBuffer(4), new DataView(new ArrayBuffer(2)));)js",
     R"--(
Uint8Array(3) [ 1, 2, 3 ] Float64Array(2) [ 0, 0 ] BigInt64Array(1) [ 0n ] ArrayBuffer { [Uint8Contents]: <00 00 00 00>, byteLength: 4 } DataView {
  byteLength: 2,
  byteOffset: 0,
  buffer: ArrayBuffer { [Uint8Contents]: <00 00>, byteLength: 2 }
}
)--"},
    {R"js(const r = Promise.reject(3); r.catch(() => {}); console.log(Promise.resolve(4), new Promise(() => {}), r, Promise.resolve({ a: [1] }));)js",
     "Promise { 4 } Promise { <pending> } Promise { <rejected> 3 } Promise { { a: [ 1 ] } }\n"},
    {R"js(console.log(new WeakMap(), new WeakSet(), new Number(3), new String('ab'), new Boolean(false), Object(1n), Object(Symbol('q')));)js",
     "WeakMap { <items unknown> } WeakSet { <items unknown> } [Number: 3] [String: 'ab'] [Boolean: false] [BigInt: 1n] [Symbol: Symbol(q)]\n"},
    {R"js(console.log([new Map([['a', 1]]).entries(), new Set([1]).values(), new Map([['a', 1]]).keys(), [1, 2][Symbol.iterator]()]);)js",
     R"--(
[
  [Map Entries] { [ 'a', 1 ] },
  [Set Iterator] { 1 },
  [Map Iterator] { 'a' },
  Object [Array Iterator] {}
]
)--"},
    {R"js((function () { console.log(arguments); })(1, 'two');)js",
     "[Arguments] { '0': 1, '1': 'two' }\n"},
    {R"js(console.log({ f() {}, g: function () {}, h: () => 1, [Symbol.iterator]: null });)js",
     R"--(
{
  f: [Function: f],
  g: [Function: g],
  h: [Function: h],
  [Symbol(Symbol.iterator)]: null
}
)--"},
    {R"js(console.log('multi\nline', ['multi\nline'], [undefined, null, 'a\\b', 'tab\t', '\x00\x7f', '\u{1F600}', '\ud800']);)js",
     R"--(
multi
line [ 'multi\nline' ] [
  undefined,  null,
  'a\\b',     'tab\t',
  '\x00\x7F', '😀',
  '\ud800'
]
)--"},
    {R"js(console.log(['a'.repeat(20) + '\n' + 'b'.repeat(70)]);)js",
     R"--(
[
  'aaaaaaaaaaaaaaaaaaaa\n' +
    'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'
]
)--"},
    {R"js(console.log({ s: 'x'.repeat(100) });)js",
     R"--(
{
  s: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'
}
)--"},
    {R"js(console.log();)js",
     "\n"},
    {R"js(console.log([1, [2, [3, [4, [5]]]]], { l1: { l2: [{ l3: 1 }] } });)js",
     "[ 1, [ 2, [ 3, [Array] ] ] ] { l1: { l2: [ [Object] ] } }\n"},
    {R"js(class MyArray extends Array {} console.log(MyArray.from([1, 2]), Object.assign([1], { extra: true }));)js",
     "MyArray(2) [ 1, 2 ] [ 1, extra: true ]\n"},
    {R"js(console.log({ [Symbol.toStringTag]: 'Tag' }, new (class Tagged { get [Symbol.toStringTag]() { return 'T'; } })());)js",
     "{ [Symbol(Symbol.toStringTag)]: 'Tag' } Tagged [T] {}\n"},
    {R"js(console.log({ [Symbol.for('nodejs.util.inspect.custom')]() { return 'custom!'; } }, { [Symbol.for('nodejs.util.inspect.custom')](depth, options, inspect) { return { depth, replaced: true }; } });)js",
     "custom! { depth: 2, replaced: true }\n"},
    {R"js(console.log({ a: { [Symbol.for('nodejs.util.inspect.custom')](depth, options, inspect) { return inspect({ x: [1] }, options) + '\n!'; } } });)js",
     R"--(
{
  a: { x: [ 1 ] }
  !
}
)--"},
    {R"js(console.log(new Proxy({ a: 1 }, { get() { throw new Error('trap'); }, ownKeys() { throw new Error('trap'); } }));)js",
     "{ a: 1 }\n"},
    {R"js(console.log('%o', new Proxy([1], {})); const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); console.log(proxy);)js",
     R"--(
Proxy [ [ 1, [length]: 1 ], {} ]
<Revoked Proxy>
)--"},
    {R"js(console.log('%o', function f() {});)js",
     R"--(
<ref *1> [Function: f] {
  [length]: 0,
  [name]: 'f',
  [prototype]: { [constructor]: [Circular *1] }
}
)--"},
    {R"js(console.log('%o', [1, { a: 'x' }]); console.log('%O', { a: { b: { c: { d: {} } } } });)js",
     R"--(
[ 1, { a: 'x' }, [length]: 2 ]
{ a: { b: { c: [Object] } } }
)--"},
    {R"js(console.log(Object.assign(() => {}, { prop: 1 }), Object.assign(function named() {}, { a: 1 }));)js",
     "[Function (anonymous)] { prop: 1 } [Function: named] { a: 1 }\n"},
    {R"js(console.log(new Map([[{ k: 1 }, new Set([[1, 2]])]]), new Set(['a', { b: 2 }]));)js",
     "Map(1) { { k: 1 } => Set(1) { [ 1, 2 ] } } Set(2) { 'a', { b: 2 } }\n"},
    {R"js(console.log(Array.from({ length: 7 }, (_, i) => ({ i })));)js",
     R"--(
[
  { i: 0 }, { i: 1 },
  { i: 2 }, { i: 3 },
  { i: 4 }, { i: 5 },
  { i: 6 }
]
)--"},
    {R"js(console.log(new Array(101).fill(0).map((_, i) => i % 2 ? 'odd' : i));)js",
     R"--(
[
  0,  'odd', 2,  'odd', 4,  'odd', 6,  'odd', 8,  'odd',
  10, 'odd', 12, 'odd', 14, 'odd', 16, 'odd', 18, 'odd',
  20, 'odd', 22, 'odd', 24, 'odd', 26, 'odd', 28, 'odd',
  30, 'odd', 32, 'odd', 34, 'odd', 36, 'odd', 38, 'odd',
  40, 'odd', 42, 'odd', 44, 'odd', 46, 'odd', 48, 'odd',
  50, 'odd', 52, 'odd', 54, 'odd', 56, 'odd', 58, 'odd',
  60, 'odd', 62, 'odd', 64, 'odd', 66, 'odd', 68, 'odd',
  70, 'odd', 72, 'odd', 74, 'odd', 76, 'odd', 78, 'odd',
  80, 'odd', 82, 'odd', 84, 'odd', 86, 'odd', 88, 'odd',
  90, 'odd', 92, 'odd', 94, 'odd', 96, 'odd', 98, 'odd',
  ... 1 more item
]
)--"},
    {R"js(console.log({ __proto__: { inherited: 1 }, own: 2 }, Object.create({ inherited: 1 }));)js",
     "{ own: 2 } {}\n"},
    {R"js(console.log([0.1, -5, 1e21, 2 ** 53, 0xff], [-0], [ -0 ]);)js",
     "[ 0.1, -5, 1e+21, 9007199254740992, 255 ] [ -0 ] [ -0 ]\n"},
    {R"js(console.log(globalThis.undefinedThing, typeof console.log, [console.log]);)js",
     "undefined function [ [Function: log] ]\n"},
    {R"js(console.log(new Error('boom').message, String(new TypeError('bad')));)js",
     "boom TypeError: bad\n"},
    {R"js(const e = new Error('boom'); e.stack = 'Error: boom\n    at f (file:///x.js:1:1)\n    at file:///x.js:2:1'; console.log(e); console.log({ e }); console.log([e]);)js",
     R"--(
Error: boom
    at f (file:///x.js:1:1)
    at file:///x.js:2:1
{
  e: Error: boom
      at f (file:///x.js:1:1)
      at file:///x.js:2:1
}
[
  Error: boom
      at f (file:///x.js:1:1)
      at file:///x.js:2:1
]
)--"},
    {R"js(const e = new Error('boom'); e.stack = 'Error: boom\n    at f (a.js:1:1)'; e.code = 'E1'; console.log(e);)js",
     R"--(
Error: boom
    at f (a.js:1:1) {
  code: 'E1'
}
)--"},
    {R"js(const t = new TypeError('bad'); t.stack = 'TypeError: bad\n    at g (a.js:1:1)'; console.log({ list: [t] });)js",
     R"--(
{
  list: [
    TypeError: bad
        at g (a.js:1:1)
  ]
}
)--"},
    {R"js(const n = new Error('nostack'); n.stack = undefined; console.log(n); const d = new Error('x'); d.stack = ''; console.log(d);)js",
     R"--(
[Error: nostack]
[Error: x]
)--"},
    {R"js(class MyErr extends Error {} const m = new MyErr('mine'); m.stack = 'Error: mine\n    at h (b.js:1:1)'; console.log(m);)js",
     R"--(
MyErr [Error]: mine
    at h (b.js:1:1)
)--"},
    {R"js(class NamedErr extends Error { name = 'NamedErr'; } const m = new NamedErr('x'); m.stack = 'NamedErr: x\n    at h (b.js:1:1)'; console.log(m);)js",
     R"--(
NamedErr: x
    at h (b.js:1:1)
)--"},
    {R"js(const cz = new Error('outer', { cause: 'why' }); cz.stack = 'Error: outer\n    at z (c.js:1:1)'; console.log(cz);)js",
     R"--(
Error: outer
    at z (c.js:1:1) {
  [cause]: 'why'
}
)--"},
    {R"js(const inner = new Error('inner'); inner.stack = 'Error: inner\n    at a (x.js:1:1)\n    at b (x.js:2:1)\n    at c (x.js:3:1)\n    at d (x.js:4:1)\n    at e (x.js:5:1)'; const outer = new Error('outer', { cause: inner }); outer.stack = 'Error: outer\n    at o (x.js:9:1)\n    at b (x.js:2:1)\n    at c (x.js:3:1)\n    at d (x.js:4:1)\n    at e (x.js:5:1)'; console.log(outer);)js",
     R"--(
Error: outer
    at o (x.js:9:1)
    at b (x.js:2:1)
    ... 2 lines matching cause stack trace ...
    at e (x.js:5:1) {
  [cause]: Error: inner
      at a (x.js:1:1)
      at b (x.js:2:1)
      at c (x.js:3:1)
      at d (x.js:4:1)
      at e (x.js:5:1)
}
)--"},
    {R"js(const ag = new AggregateError([1, 'two'], 'many'); ag.stack = 'AggregateError: many\n    at q (a.js:1:1)'; console.log(ag);)js",
     R"--(
AggregateError: many
    at q (a.js:1:1) {
  [errors]: [ 1, 'two' ]
}
)--"},
    {R"js(console.log(Object.assign(new RangeError('r'), { stack: 'RangeError: r' }), [Object.assign(new Error('n'), { stack: 'Error: n' })]);)js",
     "[RangeError: r] [ [Error: n] ]\n"},
};

const Row kConsoleMethods[] = {
    {R"js(console.log('out'); console.info('info'); console.debug('debug'); console.warn('warn'); console.error('error', { a: 1 });)js",
     R"--(
out
info
debug
)--",
     R"--(
warn
error { a: 1 }
)--"},
    {R"js(console.log(); console.error();)js",
     "\n",
     "\n"},
    {R"js(console.assert(true, 'not printed'); console.assert(false); console.assert(false, 'msg %d', 5); console.assert(0, { a: 1 }, 'x');)js",
     "",
     R"--(
Assertion failed
Assertion failed: msg 5
Assertion failed: [object Object] x
)--"},
    {R"js(console.count(); console.count(); console.count('x'); console.countReset(); console.count();)js",
     R"--(
default: 1
default: 2
x: 1
default: 1
)--"},
    {R"js(console.group('G'); console.log('inner\nline'); console.group(); console.warn('deeper'); console.groupEnd(); console.groupEnd(); console.log('out'); console.groupEnd(); console.log('still out');)js",
     R"--(
G
  inner
  line
out
still out
)--",
     "    deeper\n"},
    {R"js(console.groupCollapsed(); console.log({ a: 1, b: 'x'.repeat(80) }); console.groupEnd();)js",
     R"--(
  {
    a: 1,
    b: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'
  }
)--"},
    {R"js(console.table([{ a: 1, b: 'x' }, { a: 2, c: true }]);)js",
     R"--(
┌─────────┬───┬─────┬──────┐
│ (index) │ a │ b   │ c    │
├─────────┼───┼─────┼──────┤
│ 0       │ 1 │ 'x' │      │
│ 1       │ 2 │     │ true │
└─────────┴───┴─────┴──────┘
)--"},
    {R"js(console.table([[1, 2], [3, 4]]);)js",
     R"--(
┌─────────┬───┬───┐
│ (index) │ 0 │ 1 │
├─────────┼───┼───┤
│ 0       │ 1 │ 2 │
│ 1       │ 3 │ 4 │
└─────────┴───┴───┘
)--"},
    {R"js(console.table({ r1: { c: 1 }, r2: { c: 2 } });)js",
     R"--(
┌─────────┬───┐
│ (index) │ c │
├─────────┼───┤
│ r1      │ 1 │
│ r2      │ 2 │
└─────────┴───┘
)--"},
    {R"js(console.table([1, 'two', { three: 3 }]);)js",
     R"--(
┌─────────┬───────┬────────┐
│ (index) │ three │ Values │
├─────────┼───────┼────────┤
│ 0       │       │ 1      │
│ 1       │       │ 'two'  │
│ 2       │ 3     │        │
└─────────┴───────┴────────┘
)--"},
    {R"js(console.table(new Map([['k', 1], ['l', { m: 2 }]])); console.table(new Set(['s']));)js",
     R"--(
┌───────────────────┬─────┬──────────┐
│ (iteration index) │ Key │ Values   │
├───────────────────┼─────┼──────────┤
│ 0                 │ 'k' │ 1        │
│ 1                 │ 'l' │ { m: 2 } │
└───────────────────┴─────┴──────────┘
┌───────────────────┬────────┐
│ (iteration index) │ Values │
├───────────────────┼────────┤
│ 0                 │ 's'    │
└───────────────────┴────────┘
)--"},
    {R"js(console.table(5); console.table('str'); console.table(null);)js",
     R"--(
5
str
null
)--"},
    {R"js(console.table([{ a: 1, b: 2 }], ['b']); console.table([{ name: 'x', list: [1, 2, 3, 4, 5], obj: { a: 1, b: 2, c: 3 } }]);)js",
     R"--(
┌─────────┬───┐
│ (index) │ b │
├─────────┼───┤
│ 0       │ 2 │
└─────────┴───┘
┌─────────┬──────┬───────────────────────────────┬──────────┐
│ (index) │ name │ list                          │ obj      │
├─────────┼──────┼───────────────────────────────┼──────────┤
│ 0       │ 'x'  │ [ 1, 2, 3, ... 2 more items ] │ [Object] │
└─────────┴──────┴───────────────────────────────┴──────────┘
)--"},
    {R"js(console.table([{ wide: '\u5bbd\u5b57' }, { wide: 'ab' }]);)js",
     R"--(
┌─────────┬────────┐
│ (index) │ wide   │
├─────────┼────────┤
│ 0       │ '宽字' │
│ 1       │ 'ab'   │
└─────────┴────────┘
)--"},
    {R"js(console.table([]); console.table({});)js",
     R"--(
┌─────────┐
│ (index) │
├─────────┤
└─────────┘
┌─────────┐
│ (index) │
├─────────┤
└─────────┘
)--"},
    {R"js(console.dir({ a: { b: { c: { d: 1 } } } }, { depth: 0 }); console.dir({ [Symbol.for('nodejs.util.inspect.custom')]() { return 'ignored'; }, x: 1 }); console.dir('str');)js",
     R"--(
{ a: [Object] }
{
  x: 1,
  [Symbol(nodejs.util.inspect.custom)]: [Function: [nodejs.util.inspect.custom]]
}
'str'
)--"},
    {R"js(const { log, error } = console; log('unbound log'); error('unbound error');)js",
     "unbound log\n",
     "unbound error\n"},
    {R"js(console.log(typeof console.time, typeof console.timeEnd, typeof console.timeLog, typeof console.trace, typeof console.table, Object.prototype.toString.call(console));)js",
     "function function function function function [object console]\n"},
    // Not Node's: Node prefixes warnings with "(node:PID)" and adds a hint line.
    {R"js(console.timeEnd('nope'); console.time('t'); console.time('t'); console.countReset('none');)js",
     "",
     R"--(
Warning: No such label 'nope' for console.timeEnd()
Warning: Label 't' already exists for console.time()
Warning: Count for 'none' does not exist
)--"},
};

const Row kTextEncoder[] = {
    {R"js(p(new TextEncoder().encode('\u20ac'));)js",
     "Uint8Array(3) [ 226, 130, 172 ]\n"},
    {R"js(p(new TextEncoder().encode());)js",
     "Uint8Array(0) []\n"},
    {R"js(p(new TextEncoder().encode(5));)js",
     "Uint8Array(1) [ 53 ]\n"},
    {R"js(p(new TextEncoder().encode('\ud800x'));)js",
     "Uint8Array(4) [ 239, 191, 189, 120 ]\n"},
    {R"js(p(new TextEncoder().encodeInto('a\u{1F600}', new Uint8Array(3)));)js",
     "{ read: 1, written: 1 }\n"},
    {R"js(p(new TextEncoder().encodeInto('\u{1F600}', new Uint8Array(5)));)js",
     "{ read: 2, written: 4 }\n"},
    {R"js(p(new TextEncoder().encodeInto('a\u00e9\u{1F600}', new Uint8Array(4)));)js",
     "{ read: 2, written: 3 }\n"},
    {R"js(p(((d) => [new TextEncoder().encodeInto('hi', d), d])(new Uint8Array(4)));)js",
     "[ { read: 2, written: 2 }, Uint8Array(4) [ 104, 105, 0, 0 ] ]\n"},
    {R"js(p(new TextEncoder().encodeInto('\ud800', new Uint8Array(3)));)js",
     "{ read: 1, written: 3 }\n"},
    {R"js(p(new TextEncoder().encodeInto('abc', new Uint8Array(0)));)js",
     "{ read: 0, written: 0 }\n"},
    {R"js(p(new TextEncoder().encodeInto('a', 5));)js",
     "threw TypeError: The \"dest\" argument must be an instance of Uint8Array. Received type number (5)\n"},
    {R"js(p(new TextEncoder().encodeInto('a', new Uint16Array(2)));)js",
     "threw TypeError: The \"dest\" argument must be an instance of Uint8Array. Received an instance of Uint16Array\n"},
    {R"js(p(new TextEncoder().encoding);)js",
     "'utf-8'\n"},
};

const Row kTextDecoder[] = {
    {R"js(p(new TextDecoder().decode(new Uint8Array([0xE2, 0x82, 0xAC, 0x41])));)js",
     "'€A'\n"},
    {R"js(p(new TextDecoder().decode(new Uint8Array([0xF0, 0x9F, 0x98, 0x80])));)js",
     "'😀'\n"},
    {R"js(p(new TextDecoder().decode());)js",
     "''\n"},
    {R"js(p(new TextDecoder().decode(new Uint8Array([0x68, 0x69]).buffer));)js",
     "'hi'\n"},
    {R"js(p(new TextDecoder().decode(new DataView(new Uint8Array([0x68, 0x69]).buffer)));)js",
     "'hi'\n"},
    {R"js(p(new TextDecoder().decode(new Uint16Array([0x6261])));)js",
     "'ab'\n"},
    {R"js(p(new TextDecoder().decode(new Uint8Array([0x61, 0x62, 0x63]).subarray(1)));)js",
     "'bc'\n"},
    {R"js(p(new TextDecoder().decode(new Uint8Array([0xEF, 0xBB, 0xBF, 0x41])));)js",
     "'A'\n"},
    {R"js(p(hex(new TextDecoder('utf-8', { ignoreBOM: true }).decode(new Uint8Array([0xEF, 0xBB, 0xBF, 0x41]))));)js",
     "'feff 41'\n"},
    {R"js(p(hex(new TextDecoder().decode(new Uint8Array([0x61, 0xF0, 0x80, 0x80, 0x62, 0xED, 0xA0, 0x80, 0xC0, 0xAF, 0xF4, 0x90, 0xE2, 0x82]))));)js",
     "'61 fffd fffd fffd 62 fffd fffd fffd fffd fffd fffd fffd fffd'\n"},
    {R"js(p(new TextDecoder().decode(new Uint8Array([0xFF, 0xFE, 0x80, 0xBF, 0xF8])).length);)js",
     "5\n"},
    {R"js(p(new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([0xFF])));)js",
     "threw TypeError: The encoded data was not valid for encoding utf-8\n"},
    {R"js(p(new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([0xE2, 0x82])));)js",
     "threw TypeError: The encoded data was not valid for encoding utf-8\n"},
    {R"js(p(new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([0xED, 0xA0, 0x80])));)js",
     "threw TypeError: The encoded data was not valid for encoding utf-8\n"},
    {R"js(p(new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([0xE2, 0x82, 0xAC])));)js",
     "'€'\n"},
    {R"js(p(((d) => [d.decode(new Uint8Array([0xE2, 0x82]), { stream: true }), d.decode(new Uint8Array([0xAC]), { stream: true }), d.decode()])(new TextDecoder()));)js",
     "[ '', '€', '' ]\n"},
    {R"js(p(((d) => [d.decode(new Uint8Array([0xE2, 0x82]), { stream: true }), d.decode()].map(hex))(new TextDecoder()));)js",
     "[ '', 'fffd' ]\n"},
    {R"js(p(((d) => [d.decode(new Uint8Array([0xF0]), { stream: true }), d.decode(new Uint8Array([0x9F]), { stream: true }), d.decode(new Uint8Array([0x98]), { stream: true }), d.decode(new Uint8Array([0x80, 0x21]))])(new TextDecoder()));)js",
     "[ '', '', '', '😀!' ]\n"},
    {R"js(p(((d) => [d.decode(new Uint8Array([0xF0, 0x9F]), { stream: true }), d.decode(new Uint8Array([0x98, 0x80]))])(new TextDecoder('utf-8', { fatal: true })));)js",
     "[ '', '😀' ]\n"},
    {R"js(p(((d) => { d.decode(new Uint8Array([0xE2]), { stream: true }); return d.decode(new Uint8Array([0x41])); })(new TextDecoder('utf-8', { fatal: true })));)js",
     "threw TypeError: The encoded data was not valid for encoding utf-8\n"},
    {R"js(p(((d) => [d.decode(new Uint8Array([0xE0, 0x80]), { stream: true }), d.decode()].map(hex))(new TextDecoder()));)js",
     "[ 'fffd fffd', '' ]\n"},
    {R"js(p(((d) => [d.decode(new Uint8Array([0xEF, 0xBB]), { stream: true }), d.decode(new Uint8Array([0xBF, 0x41]), { stream: true }), d.decode(new Uint8Array([0xEF, 0xBB, 0xBF]))].map(hex))(new TextDecoder()));)js",
     "[ '', '41', 'feff' ]\n"},
    {R"js(p(((d) => [d.decode(new Uint8Array([0xEF, 0xBB, 0xBF, 0x41])), d.decode(new Uint8Array([0xEF, 0xBB, 0xBF, 0x42]))])(new TextDecoder()));)js",
     "[ 'A', 'B' ]\n"},
    {R"js(p(new TextDecoder(' UTF8 ').encoding + ' ' + new TextDecoder('unicode-1-1-utf-8').encoding);)js",
     "'utf-8 utf-8'\n"},
    {R"js(p(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }));)js",
     "TextDecoder { encoding: 'utf-8', fatal: true, ignoreBOM: true }\n"},
    {R"js(p([new TextDecoder().fatal, new TextDecoder().ignoreBOM]);)js",
     "[ false, false ]\n"},
    {R"js(p(Object.prototype.toString.call(new TextDecoder()) + Object.prototype.toString.call(new TextEncoder()));)js",
     "'[object TextDecoder][object TextEncoder]'\n"},
    {R"js(p(new TextDecoder('nope'));)js",
     "threw RangeError: The \"nope\" encoding is not supported\n"},
    {R"js(p(new TextDecoder('utf-8', 5));)js",
     "threw TypeError: The \"options\" argument must be of type object. Received type number (5)\n"},
    // Not Node's: Node also decodes legacy encodings (ICU); this runtime only UTF-8.
    {R"js(p(new TextDecoder('latin1'));)js",
     "threw RangeError: The \"latin1\" encoding is not supported\n"},
    // Not Node's: Node names the argument "list" in these three messages.
    {R"js(p(new TextDecoder().decode(1));)js",
     "threw TypeError: The \"input\" argument must be an instance of ArrayBuffer, SharedArrayBuffer or ArrayBufferView. Received type number (1)\n"},
    {R"js(p(new TextDecoder().decode(null));)js",
     "threw TypeError: The \"input\" argument must be an instance of ArrayBuffer, SharedArrayBuffer or ArrayBufferView. Received null\n"},
    {R"js(p(new TextDecoder().decode('abc'));)js",
     "threw TypeError: The \"input\" argument must be an instance of ArrayBuffer, SharedArrayBuffer or ArrayBufferView. Received type string ('abc')\n"},
};

const Row kBase64AndDomException[] = {
    {R"js(p(btoa('abc') + ' ' + btoa('ab') + ' ' + btoa('a') + ' ' + btoa('') + ' ' + btoa(null));)js",
     "'YWJj YWI= YQ==  bnVsbA=='\n"},
    {R"js(p(btoa(String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i))));)js",
     "'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn+AgYKDhIWGh4iJiouMjY6PkJGSk5SVlpeYmZqbnJ2en6ChoqOkpaanqKmqq6ytrq+wsbKztLW2t7i5uru8vb6/wMHCw8TFxsfIycrLzM3Oz9DR0tPU1dbX2Nna29zd3t/g4eLj5OXm5+jp6uvs7e7v8PHy8/T19vf4+fr7/P3+/w=='\n"},
    {R"js(p(btoa('\u00ffabc'));)js",
     "'/2FiYw=='\n"},
    {R"js(p(btoa('\u0100'));)js",
     "threw DOMException [InvalidCharacterError]: Invalid character\n"},
    {R"js(p(btoa());)js",
     "threw TypeError: The \"input\" argument must be specified\n"},
    {R"js(p(atob('YWJj') + ' ' + atob('YQ') + ' ' + atob('YQ==') + ' ' + atob('YR') + ' ' + atob('') + ' ' + atob(null));)js",
     "'abc a a a  \\x9Eée'\n"},
    {R"js(p(atob(' YW\tJj\nZA==\r\f'));)js",
     "'abcd'\n"},
    {R"js(p(atob('/wA=').split('').map((c) => c.charCodeAt(0)));)js",
     "[ 255, 0 ]\n"},
    {R"js(p(atob(btoa(String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i)))).length);)js",
     "256\n"},
    {R"js(p(atob('!'));)js",
     "threw DOMException [InvalidCharacterError]: Invalid character\n"},
    {R"js(p(atob('a'));)js",
     "threw DOMException [InvalidCharacterError]: The string to be decoded is not correctly encoded.\n"},
    {R"js(p(atob('YQ='));)js",
     "threw DOMException [InvalidCharacterError]: Invalid character\n"},
    {R"js(p(atob('YQ==='));)js",
     "threw DOMException [InvalidCharacterError]: Invalid character\n"},
    {R"js(p(atob('Y=Q='));)js",
     "threw DOMException [InvalidCharacterError]: Invalid character\n"},
    {R"js(p(atob('YWJj\u00a0ZA=='));)js",
     "threw DOMException [InvalidCharacterError]: Invalid character\n"},
    {R"js(p(atob(undefined));)js",
     "threw DOMException [InvalidCharacterError]: The string to be decoded is not correctly encoded.\n"},
    {R"js(p(atob());)js",
     "threw TypeError: The \"input\" argument must be specified\n"},
    {R"js(p([new DOMException('m', 'InvalidCharacterError').code, new DOMException().name, new DOMException().message, new DOMException('x', 'Foo').code, DOMException.QUOTA_EXCEEDED_ERR]);)js",
     "[ 5, 'Error', '', 0, 22 ]\n"},
    {R"js(p([new DOMException('m') instanceof Error, String(new DOMException('m', 'SyntaxError')), Object.prototype.toString.call(new DOMException())]);)js",
     "[ true, 'SyntaxError: m', '[object DOMException]' ]\n"},
    {R"js(p(new DOMException('x', { name: 'AbortError', cause: 'c' }).cause);)js",
     "'c'\n"},
    {R"js(const e = new DOMException('m', 'InvalidCharacterError'); e.stack = 'InvalidCharacterError: m\n    at x (y.js:1:1)'; console.log(e);)js",
     R"--(
DOMException [InvalidCharacterError]: m
    at x (y.js:1:1)
)--"},
};

const Row kPerformance[] = {
    {R"js(p(typeof performance.now());)js",
     "'number'\n"},
    {R"js(p(performance.now() >= 0 && performance.now() < 60000);)js",
     "true\n"},
    {R"js(p(((a) => performance.now() >= a)(performance.now()));)js",
     "true\n"},
    // Bracketed by two clock reads, so it holds however fast or slow the machine is.
    {R"js(p(((a, t, b) => t >= a - 1 && t <= b + 1)(Date.now(), performance.timeOrigin + performance.now(), Date.now()));)js",
     "true\n"},
    {R"js(p(performance.mark('a', { startTime: 5, detail: { x: 1 } }));)js",
     R"--(
PerformanceMark {
  name: 'a',
  entryType: 'mark',
  startTime: 5,
  duration: 0,
  detail: { x: 1 }
}
)--"},
    {R"js(p([performance.mark('s', { startTime: 10 }).startTime, performance.mark('e', { startTime: 25 }).duration]);)js",
     "[ 10, 0 ]\n"},
    {R"js(p(performance.measure('m', 's', 'e'));)js",
     R"--(
PerformanceMeasure {
  name: 'm',
  entryType: 'measure',
  startTime: 10,
  duration: 15,
  detail: null
}
)--"},
    {R"js(p(performance.measure('m2', { start: 's', duration: 5 }));)js",
     R"--(
PerformanceMeasure {
  name: 'm2',
  entryType: 'measure',
  startTime: 10,
  duration: 5,
  detail: null
}
)--"},
    {R"js(p(performance.measure('m3', { start: 10, end: 'e', detail: 'why' }));)js",
     R"--(
PerformanceMeasure {
  name: 'm3',
  entryType: 'measure',
  startTime: 10,
  duration: 15,
  detail: 'why'
}
)--"},
    // A measure to "now" ends between the clock reads around it: a start that reaches this line
    // before 10 ms gives a negative duration, which is right, not a failure.
    {R"js(p(((a, m, b) => m.startTime === 10 && m.duration >= a - 10 && m.duration <= b - 10)(performance.now(), performance.measure('to-now', 's'), performance.now()));)js",
     "true\n"},
    {R"js(p(((a, m, b) => m.startTime === 0 && m.duration >= a && m.duration <= b)(performance.now(), performance.measure('whole'), performance.now()));)js",
     "true\n"},
    {R"js(p(performance.measure('bad', 'nomark'));)js",
     "threw DOMException [SyntaxError]: The \"nomark\" performance mark has not been set\n"},
    {R"js(p(performance.measure('bad', { start: 's', end: 'e', duration: 5 }));)js",
     "threw TypeError: Must not have options.start, options.end, and options.duration specified\n"},
    {R"js(p(performance.measure('bad', { start: 's' }, 'e'));)js",
     "threw TypeError: endMark must not be specified\n"},
    {R"js(p(performance.measure(5));)js",
     "threw TypeError: The \"name\" argument must be of type string. Received type number (5)\n"},
    {R"js(p(performance.mark('neg', { startTime: -1 }));)js",
     "threw TypeError: -1 is not a valid timestamp\n"},
    {R"js(p(performance.mark());)js",
     "threw TypeError: The \"name\" argument must be specified\n"},
    {R"js(p(new PerformanceEntry());)js",
     "threw TypeError: Illegal constructor\n"},
    {R"js(p(new PerformanceMeasure());)js",
     "threw TypeError: Illegal constructor\n"},
    {R"js(p(new Performance());)js",
     "threw TypeError: Illegal constructor\n"},
    {R"js(p(performance.getEntriesByType('mark').map((e) => e.name));)js",
     "[ 'a', 's', 'e' ]\n"},
    {R"js(p(performance.getEntriesByType('measure').map((e) => e.name));)js",
     "[ 'whole', 'm', 'm2', 'm3', 'to-now' ]\n"},
    {R"js(p(performance.getEntriesByName('s'));)js",
     R"--(
[
  PerformanceMark {
    name: 's',
    entryType: 'mark',
    startTime: 10,
    duration: 0,
    detail: null
  }
]
)--"},
    {R"js(p(performance.getEntriesByName('m', 'mark').length);)js",
     "0\n"},
    {R"js(p((performance.clearMarks('s'), performance.getEntriesByType('mark').map((e) => e.name)));)js",
     "[ 'a', 'e' ]\n"},
    {R"js(p((performance.clearMeasures('m'), performance.getEntriesByType('measure').map((e) => e.name)));)js",
     "[ 'whole', 'm2', 'm3', 'to-now' ]\n"},
    {R"js(p((performance.clearMeasures(), performance.clearMarks(), performance.getEntries().length));)js",
     "0\n"},
    {R"js(p(JSON.stringify(performance.mark('j', { startTime: 1 })));)js",
     "'{\"name\":\"j\",\"entryType\":\"mark\",\"startTime\":1,\"duration\":0,\"detail\":null}'\n"},
    {R"js(p([Object.prototype.toString.call(performance.mark('t')), Object.prototype.toString.call(performance)]);)js",
     "[ '[object PerformanceMark]', '[object Performance]' ]\n"},
    {R"js(p(performance.mark('now') instanceof PerformanceEntry);)js",
     "true\n"},
};

const Row kCrypto[] = {
    {R"js(p(crypto.getRandomValues(new Uint8Array(4)).length);)js",
     "4\n"},
    {R"js(p(((a) => crypto.getRandomValues(a) === a)(new Uint32Array(2)));)js",
     "true\n"},
    {R"js(p(crypto.getRandomValues(new Uint8Array(0)));)js",
     "Uint8Array(0) []\n"},
    {R"js(p(crypto.getRandomValues(new Uint8Array(65536)).length);)js",
     "65536\n"},
    {R"js(p(new Set(crypto.getRandomValues(new Uint8Array(65536))).size);)js",
     "256\n"},
    {R"js(p(crypto.getRandomValues(new Uint8Array(64)).some((b) => b !== 0));)js",
     "true\n"},
    {R"js(p(((a) => [typeof a[0], a.length])(crypto.getRandomValues(new BigUint64Array(2))));)js",
     "[ 'bigint', 2 ]\n"},
    {R"js(p([Int8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, BigInt64Array].map((T) => crypto.getRandomValues(new T(8)).length));)js",
     "[ 8, 8, 8, 8, 8, 8 ]\n"},
    {R"js(p(((a) => { crypto.getRandomValues(new Uint8Array(a.buffer, 4, 4)); return [...a.subarray(0, 4), ...a.subarray(8)]; })(new Uint8Array(12)));)js",
     R"--(
[
  0, 0, 0, 0,
  0, 0, 0, 0
]
)--"},
    {R"js(p(crypto.getRandomValues(new Float32Array(1)));)js",
     "threw DOMException [TypeMismatchError]: The data argument must be an integer-type TypedArray\n"},
    {R"js(p(crypto.getRandomValues(new Float64Array(1)));)js",
     "threw DOMException [TypeMismatchError]: The data argument must be an integer-type TypedArray\n"},
    {R"js(p(crypto.getRandomValues(new DataView(new ArrayBuffer(1))));)js",
     "threw DOMException [TypeMismatchError]: The data argument must be an integer-type TypedArray\n"},
    {R"js(p(crypto.getRandomValues([1, 2]));)js",
     "threw DOMException [TypeMismatchError]: The data argument must be an integer-type TypedArray\n"},
    {R"js(p(crypto.getRandomValues(new Uint8Array(65537)));)js",
     "threw DOMException [QuotaExceededError]: The requested length exceeds 65,536 bytes\n"},
    {R"js(p(crypto.getRandomValues(new Uint32Array(16385)));)js",
     "threw DOMException [QuotaExceededError]: The requested length exceeds 65,536 bytes\n"},
    {R"js(p(crypto.getRandomValues());)js",
     "threw TypeError: Failed to execute 'getRandomValues' on 'Crypto': 1 argument required, but only 0 present.\n"},
    {R"js(p(((g) => g(new Uint8Array(1)))(crypto.getRandomValues));)js",
     "threw TypeError: Value of \"this\" must be of type Crypto\n"},
    {R"js(p(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID()));)js",
     "true\n"},
    {R"js(p(crypto.randomUUID() !== crypto.randomUUID());)js",
     "true\n"},
    {R"js(p(new Set(Array.from({ length: 200 }, () => crypto.randomUUID()[19])).size);)js",
     "4\n"},
    {R"js(p(((u) => u(1))(crypto.randomUUID));)js",
     "threw TypeError: Value of \"this\" must be of type Crypto\n"},
    {R"js(p(Object.prototype.toString.call(crypto));)js",
     "'[object Crypto]'\n"},
    {R"js(p(new Crypto());)js",
     "threw TypeError: Illegal constructor\n"},
};

TEST_F(ExtensionsTest, ConsoleFormatsValuesLikeNode) { ExpectTable(kConsoleFormatting); }
TEST_F(ExtensionsTest, ConsoleMethods) { ExpectTable(kConsoleMethods); }
TEST_F(ExtensionsTest, TextEncoder) { ExpectTable(kTextEncoder); }
TEST_F(ExtensionsTest, TextDecoder) { ExpectTable(kTextDecoder); }
TEST_F(ExtensionsTest, Base64AndDomException) { ExpectTable(kBase64AndDomException); }
TEST_F(ExtensionsTest, Performance) { ExpectTable(kPerformance); }
TEST_F(ExtensionsTest, Crypto) { ExpectTable(kCrypto); }

TEST_F(ExtensionsTest, ErrorsPrintTheirStack) {
  ToolResult run = Run("console.log(new Error('boom'));\nconsole.log({ e: new RangeError('r') });");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, StartsWith("Error: boom\n    at file://"));
  EXPECT_THAT(run.out, HasSubstr("main1.js:1:13\n"));
  EXPECT_THAT(run.out, HasSubstr("\n{\n  e: RangeError: r\n      at file://"));
}

TEST_F(ExtensionsTest, ConsoleTraceWritesTheStackToStderr) {
  ToolResult run = Run("function f() {\n  console.trace('here %d', 1);\n}\nf();\nconsole.trace();");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "");
  EXPECT_THAT(run.err, StartsWith("Trace: here 1\n    at f (file://"));
  EXPECT_THAT(run.err, HasSubstr("main1.js:2:11)\n    at file://"));
  EXPECT_THAT(run.err, HasSubstr("\nTrace\n    at file://"));
}

TEST_F(ExtensionsTest, ConsoleTimePrintsMilliseconds) {
  ToolResult run = Run(
      "console.time('t'); console.timeEnd('t');\n"
      "console.time(); console.timeLog(undefined, 'extra', { a: 1 }); console.timeEnd();");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, MatchesRegex("t: [0-9]+(\\.[0-9]+)?ms\n"
                                    "default: [0-9]+(\\.[0-9]+)?ms extra \\{ a: 1 \\}\n"
                                    "default: [0-9]+(\\.[0-9]+)?ms\n"));
  EXPECT_EQ(run.err, "");
}

// The snapshot is built before the run starts; a time origin captured while building would be
// older than `before`.
TEST_F(ExtensionsTest, TimeOriginIsWhenTheRuntimeStartsNotWhenTheSnapshotWasBuilt) {
  double before = WallClockMs();
  ToolResult run = Run("console.log(performance.timeOrigin, performance.now());");
  double after = WallClockMs();
  ASSERT_EQ(run.exit_code, 0) << run.err;
  double origin = 0, now = 0;
  ASSERT_EQ(std::sscanf(run.out.c_str(), "%lf %lf", &origin, &now), 2) << run.out;
  EXPECT_GE(origin, before - 1) << "timeOrigin predates the process";
  EXPECT_LE(origin, after + 1);
  EXPECT_GT(now, 0);
  EXPECT_LT(now, after - before + 1);
}

// Nothing random is frozen into the blob: two runs of the same snapshot differ.
TEST_F(ExtensionsTest, RandomValuesDifferBetweenRuns) {
  const char* script =
      "console.log(crypto.randomUUID(), crypto.getRandomValues(new Uint32Array(4)).join());";
  ToolResult first = Run(script);
  ToolResult second = Run(script);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(first.out, second.out);
}

TEST_F(ExtensionsTest, ModulesExportWhatTheGlobalsHold) {
  ToolResult run = Run(
      "import { TextEncoder, TextDecoder, atob, btoa } from 'ext:encoding/encoding.js';\n"
      "import { DOMException } from 'ext:encoding/dom_exception.js';\n"
      "import { performance } from 'ext:performance/performance.js';\n"
      "import { crypto } from 'ext:crypto/crypto.js';\n"
      "import { console as c, format, inspect } from 'ext:console/console.js';\n"
      "console.log(TextEncoder === globalThis.TextEncoder,\n"
      "  TextDecoder === globalThis.TextDecoder, atob === globalThis.atob,\n"
      "  btoa === globalThis.btoa, DOMException === globalThis.DOMException,\n"
      "  performance === globalThis.performance, crypto === globalThis.crypto, c === console,\n"
      "  format('%s=%d', 'x', 1), inspect('s'));");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "true true true true true true true true x=1 's'\n");
}

}  // namespace
}  // namespace v8snap::testing
