// End to end: the JS environment while a snapshot is built and the hooks around serialization
// (docs/snapshotting.md, "The JS environment while building"; docs/runtime.md, v8snap.snapshot):
// what a build-time feature test sees, what a load restores, what is refused and why. Every
// scenario is built by snapshot_builder, then run by snapshot_run from the snapshot and, where
// it says so, from source, whose output must be the same.
#include <string>
#include <vector>

#include "compat/late_builtins.h"
#include "compat/v8_compat.h"
#include "format/atomic_file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// "V8 13.6": how the builder's messages name the V8 at hand.
const std::string kV8 = std::string("V8 ") + compat::kV8MajorMinor;

class BuildTimeJsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* file : {"core/core.js", "console/console.js"}) {
      tmp_.Write(file, *ReadFileToString(SourcePath(std::string("extensions/") + file)));
    }
    tmp_.Write("m.textproto",
               "name: \"app\"\n"
               "extension { name: \"core\" js: \"core/core.js\" }\n"
               "extension { name: \"console\" deps: \"core\" esm: \"console/console.js\" }\n"
               "extension { name: \"app\" deps: [\"core\", \"console\"] esm: \"app.js\" }\n");
  }

  // Builds the manifest whose last extension, "app", is the ES module `app`.
  ToolResult Build(const std::string& app, const std::vector<std::string>& extra = {}) {
    tmp_.Write("app.js", app);
    std::vector<std::string> args = {"--manifest", Manifest(), "--out", Blob()};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunTool("snapshot_builder", args);
  }
  ToolResult Run(const std::string& main) {
    return RunTool("snapshot_run",
                   {"--snapshot", Blob(), "--manifest", Manifest(), tmp_.Write("main.js", main)});
  }
  ToolResult RunFromSource(const std::string& main) {
    return RunTool("snapshot_run",
                   {"--no-snapshot", "--manifest", Manifest(), tmp_.Write("main.js", main)});
  }
  // Builds `app`, then runs `main` from the snapshot and from source: both must print `out`.
  void ExpectSameFromSnapshotAndSource(const std::string& app, const std::string& main,
                                       const std::string& out) {
    ToolResult build = Build(app);
    ASSERT_EQ(build.exit_code, 0) << build.err;
    ToolResult loaded = Run(main);
    EXPECT_EQ(loaded.exit_code, 0) << loaded.err;
    EXPECT_EQ(loaded.out, out) << "from the snapshot";
    ToolResult source = RunFromSource(main);
    EXPECT_EQ(source.exit_code, 0) << source.err;
    EXPECT_EQ(source.out, out) << "from source";
  }
  std::string Manifest() const { return tmp_.path() + "/m.textproto"; }
  std::string Blob() const { return tmp_.path() + "/s.bin"; }

  TempDir tmp_;
};

// --- v8snap.snapshot: isBuilding, onSerialize, onDeserialize (issue 11, item 19) ---

TEST_F(BuildTimeJsTest, HooksRunInRegistrationOrderAtTheEndOfTheBuildAndAtEachLoad) {
  ToolResult build = Build(R"js(
const log = [];
globalThis.log = log;
log.push(`module: isBuilding ${v8snap.snapshot.isBuilding()}`);
v8snap.snapshot.onSerialize(() => {
  log.push(`serialize 1: isBuilding ${v8snap.snapshot.isBuilding()}`);
  // Registered from a callback: runs in the same pass, after the others.
  v8snap.snapshot.onSerialize(() => log.push("serialize 3 (registered by 1)"));
  v8snap.snapshot.onDeserialize(() => log.push("deserialize 3 (registered by serialize 1)"));
});
v8snap.snapshot.onDeserialize(() => log.push(`deserialize 1: isBuilding ${v8snap.snapshot.isBuilding()}`));
v8snap.snapshot.onSerialize(() => log.push("serialize 2"));
v8snap.snapshot.onDeserialize(() => {
  try {
    v8snap.snapshot.onDeserialize(() => {});
  } catch (e) {
    log.push(`deserialize 2: registering threw: ${e.message.split(",")[0]}`);
  }
});
)js");
  ASSERT_EQ(build.exit_code, 0) << build.err;
  const char* expected =
      "module: isBuilding true\n"
      "serialize 1: isBuilding true\n"
      "serialize 2\n"
      "serialize 3 (registered by 1)\n"
      "deserialize 1: isBuilding false\n"
      "deserialize 2: registering threw: v8snap.snapshot.onDeserialize() may only be called "
      "while a snapshot is built\n"
      "deserialize 3 (registered by serialize 1)\n"
      "main: isBuilding false\n";
  const std::string main =
      "globalThis.log.push(`main: isBuilding ${v8snap.snapshot.isBuilding()}`);\n"
      "console.log(globalThis.log.join('\\n'));\n";
  // Every load runs the onDeserialize callbacks once.
  for (int load = 0; load < 2; ++load) {
    ToolResult r = Run(main);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, expected);
  }
}

TEST_F(BuildTimeJsTest, FromSourceNothingIsBuildingAndRegisteringThrowsAtTheCaller) {
  ASSERT_EQ(Build("export {};").exit_code, 0);
  ToolResult r = RunFromSource(
      "console.log(v8snap.snapshot.isBuilding());\n"
      "try { v8snap.snapshot.onDeserialize(() => console.log('never')); }\n"
      "catch (e) { console.log(e.message); "
      "console.log(e.stack.split('\\n')[1].includes('main.js')); }\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "false\n"
            "v8snap.snapshot.onDeserialize() may only be called while a snapshot is built, and "
            "v8snap.snapshot.isBuilding() is false here (this code runs from a loaded snapshot or "
            "from source); guard it: if (v8snap.snapshot.isBuilding()) "
            "v8snap.snapshot.onDeserialize(fn); else ...\n"
            "true\n");
}

TEST_F(BuildTimeJsTest, ANonFunctionCallbackIsATypeErrorAtRegistration) {
  ToolResult build = Build("v8snap.snapshot.onSerialize('drop the cache');\n");
  EXPECT_EQ(build.exit_code, 1);
  EXPECT_THAT(build.err, HasSubstr("app.js:1:17: Uncaught TypeError: "
                                   "v8snap.snapshot.onSerialize(callback): expected a function, "
                                   "got string"));
}

TEST_F(BuildTimeJsTest, AThrowingSerializeCallbackFailsTheBuildNamingIt) {
  ToolResult build = Build(
      "v8snap.snapshot.onSerialize(() => {});\n"
      "v8snap.snapshot.onSerialize(function dropCache() {\n"
      "  throw new Error('cache busted');\n"
      "});\n");
  EXPECT_EQ(build.exit_code, 1);
  EXPECT_THAT(build.err, HasSubstr("app.js:2:47: the v8snap.snapshot.onSerialize callback "
                                   "defined here (number 2 in registration order) failed at the "
                                   "end of the snapshot build:\n"));
  EXPECT_THAT(build.err, HasSubstr("app.js:3:3: Uncaught Error: cache busted"));
  EXPECT_THAT(build.err, HasSubstr("at dropCache ("));
  EXPECT_THAT(build.err, HasSubstr("fix: make the callback succeed"));
  EXPECT_EQ(tmp_.Read("s.bin"), "") << "a failed build writes nothing";
}

TEST_F(BuildTimeJsTest, ARejectingAsyncSerializeCallbackFailsTheBuild) {
  ToolResult build =
      Build("v8snap.snapshot.onSerialize(async () => { throw new RangeError('late'); });\n");
  EXPECT_EQ(build.exit_code, 1);
  EXPECT_THAT(build.err, HasSubstr("app.js:1:29: the v8snap.snapshot.onSerialize callback"));
  EXPECT_THAT(build.err, HasSubstr("Uncaught RangeError: late"));
}

TEST_F(BuildTimeJsTest, AThrowingDeserializeCallbackFailsEveryRunNamingIt) {
  ASSERT_EQ(Build("v8snap.snapshot.onDeserialize(() => { JSON.parse('{'); });\n").exit_code, 0);
  ToolResult r = Run("console.log('main never runs');");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("app.js:1:31: the v8snap.snapshot.onDeserialize callback defined "
                               "here (number 1 in registration order) failed right after the "
                               "snapshot was loaded:\n"));
  EXPECT_THAT(r.err, HasSubstr("SyntaxError"));
}

TEST_F(BuildTimeJsTest, AnIntlCacheDroppedBeforeSerializingIsRebuiltAfterTheLoad) {
  // The pattern the hooks exist for: V8 cannot serialize Intl objects.
  ToolResult build = Build(R"js(
let formatter = new Intl.NumberFormat("en-US", { style: "currency", currency: "EUR" });
v8snap.snapshot.onSerialize(() => { formatter = undefined; });
v8snap.snapshot.onDeserialize(() => {
  formatter = new Intl.NumberFormat("en-US", { style: "currency", currency: "EUR" });
});
export const price = (n) => formatter.format(n);
)js");
  ASSERT_EQ(build.exit_code, 0) << build.err;
  ToolResult r = Run("import { price } from 'ext:app/app.js';\nconsole.log(price(1234.5));\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "€1,234.50\n");
}

TEST_F(BuildTimeJsTest, TheWarmUpScriptIsPartOfTheBuildAndMayRegisterCallbacks) {
  std::string warmup = tmp_.Write(
      "warmup.js",
      "globalThis.log.push(`warm-up: isBuilding ${v8snap.snapshot.isBuilding()}`);\n"
      "v8snap.snapshot.onSerialize(() => globalThis.log.push('serialize from the warm-up'));\n"
      "v8snap.snapshot.onDeserialize(() => globalThis.log.push('deserialize from the "
      "warm-up'));\n");
  ToolResult build = Build(
      "globalThis.log = [];\nv8snap.snapshot.onSerialize(() => "
      "globalThis.log.push('serialize from the module'));\n",
      {"--warmup", warmup, "--code-cache=keep"});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  ToolResult r = Run("console.log(globalThis.log.join('\\n'));");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "warm-up: isBuilding true\nserialize from the module\nserialize from the warm-up\n"
            "deserialize from the warm-up\n");
}

TEST(BuildTimeJsNoCoreTest, WithoutTheCoreExtensionTheBuiltInsAreStillRedoneAfterALoad) {
  // No core extension: no v8snap.snapshot, but what the build did to a late built-in holds.
  TempDir tmp;
  std::string manifest =
      tmp.Write("m.textproto", "name: \"nocore\"\nextension { name: \"app\" js: \"app.js\" }\n");
  tmp.Write("app.js",
            "Array.prototype.at = function () { return 'mine'; };\nError.stackTraceLimit = 1;\n");
  ToolResult build =
      RunTool("snapshot_builder", {"--manifest", manifest, "--out", tmp.path() + "/s.bin"});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  // No console either: the script reports through its uncaught error.
  std::string script =
      tmp.Write("main.js",
                "throw new Error([[1].at(0), Error.stackTraceLimit, typeof v8snap.snapshot,\n"
                "  Object.keys(v8snap.core)].join(' '));\n");
  ToolResult r = RunTool("snapshot_run",
                         {"--snapshot", tmp.path() + "/s.bin", "--manifest", manifest, script});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("Uncaught Error: mine 1 undefined ops\n"));
}

// --- Error.stackTraceLimit (item 2): as from source, whatever the build did to it ---

TEST(BuildTimeJsDefaultSnapshotTest, ErrorStackTraceLimitIsAsFromSource) {
  TempDir tmp;
  ToolResult build =
      RunTool("snapshot_builder", {"--manifest", SourcePath("manifests/default.textproto"), "--out",
                                   tmp.path() + "/default.bin"});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  // What node prints for the same script.
  std::string script = tmp.Write(
      "main.js",
      "console.log(Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit'));\n"
      "const depth = (n) => n === 0 ? new Error().stack.split('\\n').length - 1 : depth(n - 1);\n"
      "console.log(Error.stackTraceLimit, depth(30));\n"
      "Error.stackTraceLimit = 2;\n"
      "console.log(depth(30));\n");
  const char* expected =
      "{ value: 10, writable: true, enumerable: true, configurable: true }\n"
      "10 10\n"
      "2\n";
  ToolResult loaded = RunTool("snapshot_run", {"--snapshot", tmp.path() + "/default.bin", script});
  EXPECT_EQ(loaded.exit_code, 0) << loaded.err;
  EXPECT_EQ(loaded.out, expected);
  ToolResult source = RunTool("snapshot_run", {"--no-snapshot", script});
  EXPECT_EQ(source.out, expected);
}

TEST_F(BuildTimeJsTest, ErrorStackTraceLimitChangedAtBuildTimeStaysChanged) {
  // Node's fixture mutate-error-stack-trace-limit.js, both ways.
  const std::string main =
      "const depth = (n) => n > 0 ? depth(n - 1)\n"
      "    : new Error().stack === undefined ? 'no stack' : new Error().stack.split('\\n').length "
      "- 1;\n"
      "console.log(JSON.stringify(Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit')), "
      "depth(30));\n";
  ExpectSameFromSnapshotAndSource("Error.stackTraceLimit = 3;\n", main,
                                  "{\"value\":3,\"writable\":true,\"enumerable\":true,"
                                  "\"configurable\":true} 3\n");
  ExpectSameFromSnapshotAndSource("delete Error.stackTraceLimit;\n", main, "undefined no stack\n");
  ExpectSameFromSnapshotAndSource(
      "Object.defineProperty(Error, 'stackTraceLimit', { value: 4, enumerable: false });\n", main,
      "{\"value\":4,\"writable\":true,\"enumerable\":false,\"configurable\":true} 4\n");
}

// --- The built-ins V8 installs only after a load (item 7), per V8 ---

// What a feature test sees while building, by V8 major version: "shim" (an exact shim while
// building), "native" (V8's own while building), "placeholder" (a stand-in whose read warns),
// "absent" (that V8 has none, while building or after a load), "skip" (not read on that V8:
// Atomics.pause would use V8 10.2's Atomics placeholder, which fails the build).
struct LateBuiltin {
  const char* expression;  // read while building (typeof) and at run time
  const char* name;        // how the warning names it
  const char* v8_10;       // V8 10.2
  const char* v8_13;       // V8 13.6
};
constexpr LateBuiltin kLateBuiltins[] = {
    {"[].at", "", "shim", "native"},
    {"[].findLast", "", "shim", "native"},
    {"[].findLastIndex", "", "shim", "native"},
    {"new Int8Array(1).at", "", "shim", "native"},
    {"new Int8Array(1).findLast", "", "shim", "native"},
    {"new Int8Array(1).findLastIndex", "", "shim", "native"},
    {"''.at", "", "shim", "native"},
    {"Object.hasOwn", "", "shim", "native"},
    {"SharedArrayBuffer", "SharedArrayBuffer", "placeholder", "placeholder"},
    {"Atomics", "Atomics", "placeholder", "native"},
    {"WebAssembly", "WebAssembly", "placeholder", "placeholder"},
    {"globalThis.Float16Array", "Float16Array", "absent", "placeholder"},
    {"globalThis.SuppressedError", "SuppressedError", "absent", "placeholder"},
    {"globalThis.DisposableStack", "DisposableStack", "absent", "placeholder"},
    {"globalThis.AsyncDisposableStack", "AsyncDisposableStack", "absent", "placeholder"},
    {"Promise.try", "Promise.try", "absent", "placeholder"},
    {"RegExp.escape", "RegExp.escape", "absent", "placeholder"},
    {"Error.isError", "Error.isError", "absent", "placeholder"},
    {"Math.f16round", "Math.f16round", "absent", "placeholder"},
    {"DataView.prototype.getFloat16", "DataView.prototype.getFloat16", "absent", "placeholder"},
    {"DataView.prototype.setFloat16", "DataView.prototype.setFloat16", "absent", "placeholder"},
    {"[].values()[Symbol.dispose]", "Iterator.prototype[Symbol.dispose]", "absent", "placeholder"},
    {"Atomics.pause", "Atomics.pause", "skip", "placeholder"},
};

const char* Expectation(const LateBuiltin& builtin) {
  switch (compat::kV8Major) {
    case 10:
      return builtin.v8_10;
    case 13:
      return builtin.v8_13;
    default:
      return nullptr;
  }
}

TEST_F(BuildTimeJsTest, AFeatureTestWhileBuildingSeesWhatTheRunTimeHas) {
  std::string app = "export const seen = {};\n";
  std::string main = "import { seen } from 'ext:app/app.js';\n";
  std::vector<LateBuiltin> rows;
  for (const LateBuiltin& builtin : kLateBuiltins) {
    ASSERT_NE(Expectation(builtin), nullptr) << kV8 << " has no column in kLateBuiltins: add one";
    if (std::string(Expectation(builtin)) != "skip") rows.push_back(builtin);
  }
  for (const LateBuiltin& builtin : rows) {
    app +=
        std::string("seen[\"") + builtin.expression + "\"] = typeof " + builtin.expression + ";\n";
    main += std::string("console.log(\"") + builtin.expression + "\", seen[\"" +
            builtin.expression + "\"] === typeof " + builtin.expression + ", typeof " +
            builtin.expression + ");\n";
  }
  ToolResult build = Build(app);
  ASSERT_EQ(build.exit_code, 0) << build.err;
  // Every late built-in of the V8 at hand (compat/late_builtins.h) is in the table.
  for (const compat::LateBuiltin& late : compat::kLateBuiltins) {
    std::string holder = late.holder;
    if (std::string(late.stand_in) == "none" || holder.find("unscopables") != std::string::npos) {
      continue;
    }
    std::string name = holder == "globalThis" ? late.key
                       : late.key[0] == '['   ? holder + late.key
                                              : holder + "." + late.key;
    // The shims are the rows of expressions with "shim" above.
    bool listed = std::string(late.stand_in) == "shim";
    for (const LateBuiltin& builtin : rows) listed |= name == builtin.name;
    EXPECT_TRUE(listed) << name << " is late on " << kV8 << " but not in kLateBuiltins";
  }
  for (const LateBuiltin& builtin : rows) {
    // A placeholder's read is a warning naming the place; a shim's or V8's own is silent.
    std::string warning = std::string(": warning: ") + builtin.name + " was read while";
    if (std::string(Expectation(builtin)) == "placeholder") {
      EXPECT_THAT(build.err, HasSubstr(warning)) << builtin.expression;
    } else if (*builtin.name != '\0') {
      EXPECT_THAT(build.err, Not(HasSubstr(warning))) << builtin.expression;
    }
  }
  EXPECT_THAT(build.err, HasSubstr("app.js:12:1: warning: WebAssembly was read while the "
                                   "snapshot was built, but " +
                                   kV8 + " has none then"));
  ToolResult r = Run(main);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const LateBuiltin& builtin : rows) {
    // The same answer as at run time, and at run time what the V8 has.
    std::string at_run = std::string(Expectation(builtin)) == "absent" ? "undefined" : "";
    EXPECT_THAT(r.out, HasSubstr(std::string(builtin.expression) + " true " + at_run))
        << builtin.expression;
    if (at_run.empty()) {
      EXPECT_THAT(r.out, Not(HasSubstr(std::string(builtin.expression) + " true undefined\n")))
          << builtin.expression;
    }
  }
}

TEST_F(BuildTimeJsTest, APolyfillDecidedWhileBuildingPicksTheRunTimeBranch) {
  // The issue's case: a polyfill whose fallback was baked in made last([1, 2]) return 2.5.
  ExpectSameFromSnapshotAndSource(
      "export const last = Array.prototype.findLast\n"
      "    ? (array) => array.findLast(() => true)\n"
      "    : (array) => 2.5;\n"
      "export const lastAtBuild = last([1, 2]);\n",
      "import { last, lastAtBuild } from 'ext:app/app.js';\n"
      "console.log(lastAtBuild, last([1, 2]), [1, 2].findLast === Array.prototype.findLast);\n",
      "2 2 true\n");
}

// Rows run while building (on the shims, on V8 10.2) and again at run time (V8's own): each row
// must print the same both times, and what node prints.
constexpr const char* kShimRows[] = {
    "[1, 2, 3].at(-1)",
    "[1, 2, 3].at(3)",
    "[1, 2, 3].at(-4)",
    "[1, 2, 3].at('1')",
    "[1, 2, 3].at(1.9)",
    "[1, 2, 3].at(NaN)",
    "[].at(-0)",
    "Array.prototype.at.call({ length: 2, 1: 'x' }, -1)",
    "Array.prototype.at.call('ab', 1)",
    "Array.prototype.at.call(null)",
    "Array.prototype.at.call([1], 1n)",
    "[1, 2, 3, 4].findLast((x) => x % 2 === 1)",
    "[1, 2, 3, 4].findLastIndex((x) => x > 9)",
    "[1, 2].findLast(function () { return this.v; }, { v: 1 })",
    "[].findLast(1)",
    "[1, 2, 3].findLast((x, i, a) => a.length === 3 && i === 1)",
    "new Int8Array([5, -6]).at(-1)",
    "new Float64Array([1.5, 2.5]).findLast((x) => x < 2)",
    "new Uint8Array([1, 2]).findLastIndex((x) => x === 1)",
    "Int8Array.prototype.at.call([1, 2], 0)",
    "'abc'.at(-1)",
    "'😀'.at(0).length",
    "String.prototype.at.call(123, 0)",
    "String.prototype.at.call(undefined, 0)",
    "Object.hasOwn({ a: 1 }, 'a')",
    "Object.hasOwn(Object.create({ a: 1 }), 'a')",
    "Object.hasOwn('ab', 'length')",
    "Object.hasOwn(null, 'a')",
    "[Array.prototype.at.name, Array.prototype.at.length, Array.prototype.findLast.length]",
    "[String.prototype.at.length, Object.hasOwn.name, Object.hasOwn.length]",
    "'prototype' in Array.prototype.at",
    "new Array.prototype.at()",
    "Object.keys(Object.getOwnPropertyDescriptor(Array.prototype, 'at'))",
    "Object.getOwnPropertyDescriptor(Array.prototype, 'findLast').enumerable",
    "Array.prototype[Symbol.unscopables].at && Array.prototype[Symbol.unscopables].findLastIndex",
    "Object.keys(Array.prototype).length + Object.keys(String.prototype).length",
};

TEST_F(BuildTimeJsTest, TheShimsWhileBuildingBehaveAsV8sOwnAfterTheLoad) {
  std::string rows = "[\n";
  for (const char* row : kShimRows) rows += std::string("  () => ") + row + ",\n";
  rows += "]";
  const std::string show =
      "const show = (row) => { try { const v = row(); return typeof v + ' ' + "
      "(Array.isArray(v) ? v.join() : String(v)); } catch (e) { return e.constructor.name; } };\n";
  ToolResult build = Build(show + "export const atBuild = " + rows + ".map(show);\n");
  ASSERT_EQ(build.exit_code, 0) << build.err;
  ToolResult r =
      Run("import { atBuild } from 'ext:app/app.js';\n" + show + "const atRun = " + rows +
          ".map(show);\n"
          "for (let i = 0; i < atRun.length; i++) console.log(atBuild[i] === atRun[i] "
          "? atRun[i] : `differs: ${atBuild[i]} while building, ${atRun[i]} at run time`);\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // What node 20 prints for the same rows.
  EXPECT_EQ(r.out,
            "number 3\nundefined undefined\nundefined undefined\nnumber 2\nnumber 2\nnumber 1\n"
            "undefined undefined\nstring x\nstring b\nTypeError\nTypeError\nnumber 3\nnumber -1\n"
            "number 2\nTypeError\nnumber 2\nnumber -6\nnumber 1.5\nnumber 0\nTypeError\nstring c\n"
            "number 1\nstring 1\nTypeError\nboolean true\nboolean false\nboolean true\n"
            "TypeError\nobject at,1,1\nobject 1,hasOwn,2\nboolean false\nTypeError\n"
            "object value,writable,enumerable,configurable\nboolean false\nboolean true\n"
            "number 0\n");
}

TEST_F(BuildTimeJsTest, WhatTheBuildDidToALateBuiltinIsWhatTheRunSees) {
  // A user's own version replaces V8's after the load too (as from source), a deletion stays
  // deleted, and a load never aborts on them.
  ExpectSameFromSnapshotAndSource(
      "Array.prototype.at = function at() { return 'mine'; };\n"
      "globalThis.WebAssembly = { polyfill: true };\n"
      "delete globalThis.SharedArrayBuffer;\n"
      "Object.defineProperty(Object, 'hasOwn', { value: () => 'own', enumerable: true });\n",
      "console.log([1].at(0), WebAssembly.polyfill, typeof SharedArrayBuffer, Object.hasOwn(),\n"
      "  Object.keys(Object).join(), Object.getOwnPropertyDescriptor(globalThis, "
      "'WebAssembly').enumerable, typeof Atomics.add);\n",
      "mine true undefined own hasOwn false function\n");
}

TEST_F(BuildTimeJsTest, ABuildThatRewiresTheLanguageStillLoads) {
  // What the build's code may change under v8snap's own build-time JS: iterators, accessors on
  // Object.prototype that descriptors would inherit, globals the shims use.
  ToolResult build = Build(
      "Array.prototype[Symbol.iterator] = function* () { throw new Error('no iterating'); };\n"
      "Object.defineProperty(Object.prototype, 'get', { value: 1, writable: true });\n"
      "Set.prototype.add = () => { throw new Error('no sets'); };\n"
      "globalThis.TypeError = globalThis.Object = globalThis.Proxy = 'gone';\n"
      "Array.prototype.at = function at() { return 'mine'; };\n"
      "export const findLast = [1, 2].findLast((x) => x < 2);\n"
      "export const threw = (() => { try { [].findLast(); } catch (e) { return e.name; } })();\n"
      "export const kind = typeof WebAssembly;\n");
  ASSERT_EQ(build.exit_code, 0) << build.err;
  ToolResult r =
      Run("import { findLast, threw, kind } from 'ext:app/app.js';\n"
          "console.log(findLast, threw, kind, [1].at(0), typeof Object, typeof [].findLast);\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "1 TypeError object mine string function\n");
}

TEST_F(BuildTimeJsTest, UsingWhatCannotExistWhileBuildingFailsNamingTheLimit) {
  // A use of each placeholder of the V8 at hand, with the name the error gives it.
  struct Use {
    const char* code;
    const char* name;
  };
  const std::vector<Use> uses =
      compat::kV8Major == 10
          ? std::vector<Use>{{"new WebAssembly.Memory({ initial: 1 })", "WebAssembly"},
                             {"new SharedArrayBuffer(8)", "SharedArrayBuffer"},
                             {"Atomics.add(new Int32Array(1), 0, 1)", "Atomics"},
                             {"String(WebAssembly)", "WebAssembly"}}
          : std::vector<Use>{
                {"new WebAssembly.Memory({ initial: 1 })", "WebAssembly"},
                {"new SharedArrayBuffer(8)", "SharedArrayBuffer"},
                {"String(WebAssembly)", "WebAssembly"},
                {"new Float16Array(2)", "Float16Array"},
                {"Math.f16round(1.5)", "Math.f16round"},
                {"Promise.try(() => 1)", "Promise.try"},
                {"RegExp.escape('a.b')", "RegExp.escape"},
                {"Error.isError(new Error())", "Error.isError"},
                {"new DisposableStack()", "DisposableStack"},
                {"new SuppressedError(1, 2)", "SuppressedError"},
                {"Atomics.pause()", "Atomics.pause"},
                {"new DataView(new ArrayBuffer(2)).getFloat16(0)", "DataView.prototype.getFloat16"},
                {"[].values()[Symbol.dispose]()", "Iterator.prototype[Symbol.dispose]"}};
  for (const Use& use : uses) {
    ToolResult build = Build(std::string("export const x = ") + use.code + ";\n");
    EXPECT_EQ(build.exit_code, 1) << use.code;
    EXPECT_THAT(build.err, HasSubstr("app.js:1:")) << use.code;
    EXPECT_THAT(build.err, HasSubstr(std::string("Uncaught Error: ") + use.name +
                                     " is not available while a snapshot is built on " + kV8 +
                                     " (V8 installs it only after a snapshot is loaded); create "
                                     "it at run time: in a v8snap.snapshot.onDeserialize "
                                     "callback, or lazily on first use"))
        << use.code;
    EXPECT_THAT(build.err, Not(HasSubstr("build-time-globals"))) << use.code;
  }
}

TEST_F(BuildTimeJsTest, SyntaxV8SupportsOnlyAfterALoadFailsTheBuildNamingTheSource) {
  if (compat::kLateSyntax.empty()) GTEST_SKIP() << kV8 << " runs all its syntax while building";
  // V8 13.6: `using` run while building skipped its disposal or crashed V8.
  for (const char* app :
       {"{ using r = { [Symbol.dispose]() {} }; }\n", "{ using values = [1].values(); }\n",
        "export async function later() { await using r = null; }\n"}) {
    ToolResult build = Build(app);
    EXPECT_EQ(build.exit_code, 1) << app;
    EXPECT_THAT(build.err,
                HasSubstr("app.js (extension 'app') holds a `using` or `await using` declaration "
                          "(explicit resource management), which " +
                          kV8 + " cannot run while a snapshot is built"))
        << app;
    EXPECT_THAT(build.err, HasSubstr("fix: load that code at run time: make its file a lazy_esm "
                                     "source"))
        << app;
    EXPECT_EQ(tmp_.Read("s.bin"), "") << app;
  }
  // The fix: the same code in a lazy module runs after the load, as from source.
  tmp_.Write("lazy.js",
             "export function use(log) {\n"
             "  using r = { [Symbol.dispose]() { log.push('disposed'); } };\n"
             "  log.push('used');\n"
             "}\n");
  tmp_.Write("m.textproto",
             "name: \"app\"\n"
             "extension { name: \"core\" js: \"core/core.js\" }\n"
             "extension { name: \"console\" deps: \"core\" esm: \"console/console.js\" }\n"
             "extension { name: \"app\" deps: [\"core\", \"console\"] esm: \"app.js\" "
             "lazy_esm: \"lazy.js\" }\n");
  ExpectSameFromSnapshotAndSource("export {};\n",
                                  "const { use } = await import('ext:app/lazy.js');\n"
                                  "const log = [];\nuse(log);\nconsole.log(log.join());\n",
                                  "used,disposed\n");
}

TEST_F(BuildTimeJsTest, CreatedInAnOnDeserializeCallbackItWorks) {
  ASSERT_EQ(Build("export let shared;\n"
                  "v8snap.snapshot.onDeserialize(() => { shared = new Int32Array(new "
                  "SharedArrayBuffer(8)); Atomics.add(shared, 0, 5); });\n")
                .exit_code,
            0);
  ToolResult r =
      Run("import { shared } from 'ext:app/app.js';\nconsole.log(shared[0], "
          "typeof WebAssembly.instantiate);\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "5 function\n");
}

// --- Frozen intrinsics (item 3) ---

// What each V8 adds to after a load (the holders of compat/late_builtins.h), SES-style frozen
// at build: every one is named (in the order the builder first meets them: its placeholders,
// then the rest of the late list).
struct FrozenHolders {
  const char* freeze;       // the intrinsics to freeze, as a JS array
  const char* named;        // the start of the problem list
  const char* late_method;  // a property V8 adds after a load, made non-configurable first
};
FrozenHolders FrozenHoldersOfThisV8() {
  if (compat::kV8Major == 10) {
    return {
        "[Math, JSON, Array.prototype, String.prototype, Object, Error, "
        "Object.getPrototypeOf(Int8Array.prototype)]",
        "Array.prototype is frozen, sealed or not extensible, %TypedArray%.prototype is "
        "frozen, sealed or not extensible, String.prototype is frozen, sealed or not "
        "extensible, Object is frozen, sealed or not extensible, Error is frozen",
        "Object.hasOwn"};
  }
  return {
      "[Math, JSON, Array.prototype, String.prototype, Object, Error, Promise, RegExp, "
      "Atomics, DataView.prototype, Iterator.prototype]",
      "Error is frozen, sealed or not extensible, Promise is frozen, sealed or not "
      "extensible, RegExp is frozen, sealed or not extensible, Math is frozen, sealed or not "
      "extensible, Atomics is frozen, sealed or not extensible, DataView.prototype is frozen, "
      "sealed or not extensible, Iterator.prototype is frozen",
      "Promise.try"};
}

TEST_F(BuildTimeJsTest, FreezingWhatV8AddsToAfterALoadIsRefusedNamingIt) {
  ToolResult build = Build("Object.freeze(globalThis);\n");
  EXPECT_EQ(build.exit_code, 1);
  EXPECT_THAT(build.err, HasSubstr("the snapshot cannot be loaded: at the end of the build "
                                   "globalThis is frozen, sealed or not extensible. " +
                                   kV8 + " adds"));
  EXPECT_THAT(build.err, HasSubstr("fix: freeze them at run time: call Object.freeze (or your "
                                   "lockdown) in a v8snap.snapshot.onDeserialize callback"));
  EXPECT_EQ(tmp_.Read("s.bin"), "");

  // SES-style: every intrinsic frozen; each one V8 adds to is named, and only those.
  const FrozenHolders holders = FrozenHoldersOfThisV8();
  build = Build(std::string("for (const o of ") + holders.freeze + ") Object.freeze(o);\n");
  EXPECT_EQ(build.exit_code, 1);
  EXPECT_THAT(build.err, HasSubstr(holders.named));
  EXPECT_THAT(build.err, Not(HasSubstr("JSON")));

  std::string method = holders.late_method;
  size_t dot = method.rfind('.');
  build = Build("Object.defineProperty(" + method.substr(0, dot) + ", '" + method.substr(dot + 1) +
                "', { value: 1, configurable: false });\n");
  EXPECT_EQ(build.exit_code, 1);
  EXPECT_THAT(build.err, HasSubstr(method + " is not configurable"));
}

TEST_F(BuildTimeJsTest, FreezingOtherIntrinsicsOrFreezingInAnOnDeserializeCallbackLoads) {
  // JSON and Reflect: no V8 adds to them after a load. Each V8 also loads with what only the
  // other one adds to frozen (Math: 13.6 adds Math.f16round; Array.prototype: 10.2 adds at()).
  const char* other = compat::kV8Major == 10 ? "Math" : "Array.prototype";
  ASSERT_EQ(
      Build(std::string("Object.freeze(JSON);\nObject.freeze(Reflect);\nObject.freeze(") + other +
            ");\n"
            "v8snap.snapshot.onDeserialize(() => { Object.freeze(String.prototype); "
            "Object.freeze(Error); Object.freeze(globalThis); });\n")
          .exit_code,
      0);
  ToolResult r = Run(std::string("console.log(Object.isFrozen(JSON), Object.isFrozen(") + other +
                     "), Object.isFrozen(globalThis), Object.isFrozen(String.prototype), "
                     "Object.isFrozen(Error), [1, 2].at(-1), typeof WebAssembly, "
                     "Error.stackTraceLimit);\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "true true true true true 2 object 10\n");
}

// --- V8 flags (items 8 and 17) ---

TEST_F(BuildTimeJsTest, ABlobBuiltWithAFlagThatChangesCodeIsRefusedAtLoadNamingIt) {
  ToolResult build = Build("export const status = () => %IsBeingInterpreted();\n",
                           {"--v8-flags=--allow-natives-syntax"});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  const char* message =
      "was built with the V8 flag --allow-natives-syntax, which changes how code runs, and this "
      "runtime runs without it";
  ToolResult r = Run("console.log('never');");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr(message));
  EXPECT_THAT(r.err, HasSubstr("fix: rebuild the snapshot without that flag"));
  // snapshot_inspect verify runs the same check and says the same.
  ToolResult verify = RunTool("snapshot_inspect", {"verify", Blob(), "--manifest", Manifest()});
  EXPECT_EQ(verify.exit_code, 1);
  EXPECT_THAT(verify.out + verify.err, HasSubstr(message));
}

TEST_F(BuildTimeJsTest, AFlagThatDoesNotChangeCodeStillLoads) {
  ASSERT_EQ(
      Build("export {};", {"--v8-flags=--stack-size=900 --no-lazy-feedback-allocation"}).exit_code,
      0);
  ToolResult r = Run("console.log('ok');");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "ok\n");
}

TEST_F(BuildTimeJsTest, AFlagThatOnlyTakesEffectAfterALoadFailsTheBuildNamingIt) {
  // A flag of each V8 that adds built-ins after a load, with what the message says it adds, and
  // two more (one in its "no" form) for the message that names several.
  struct Flags {
    const char* one;
    const char* one_adds;
    const char* two;
    const char* two_named;
  };
  const Flags flags =
      compat::kV8Major == 10
          ? Flags{"--harmony-rab-gsab",
                  "resizable ArrayBuffer and growable SharedArrayBuffer "
                  "(ArrayBuffer.prototype.resize, ",
                  "--expose_gc --no-harmony-object-has-own",
                  "--expose_gc (gc()), --no-harmony-object-has-own (Object.hasOwn) take effect "
                  "only"}
          : Flags{"--harmony-temporal", "Temporal and Date.prototype.toTemporalInstant",
                  "--expose_gc --no-js-float16array",
                  "--expose_gc (gc()), --no-js-float16array (Float16Array, Math.f16round, "
                  "DataView.prototype.getFloat16/setFloat16) take effect only"};
  ToolResult build =
      Build("export const seen = typeof Temporal;\n", {std::string("--v8-flags=") + flags.one});
  EXPECT_EQ(build.exit_code, 1);
  EXPECT_THAT(build.err,
              HasSubstr(std::string("--v8-flags: ") + flags.one + " (" + flags.one_adds));
  EXPECT_THAT(build.err, HasSubstr("takes effect only in a context that is not being "
                                   "snapshotted: " +
                                   kV8 +
                                   " applies it after a snapshot is loaded, so what it adds is "
                                   "absent while this snapshot is built"));
  EXPECT_THAT(build.err, HasSubstr("fix: drop it"));
  build = Build("export {};", {std::string("--v8-flags=") + flags.two});
  EXPECT_EQ(build.exit_code, 1);
  EXPECT_THAT(build.err, HasSubstr(flags.two_named));
  // Every late flag of the V8 at hand is one V8 knows (a typo would never match a user's flag).
  for (const compat::LateFlag& late : compat::kLateFlags) {
    std::string flag = std::string("--") + late.name;
    ToolResult r = Build("export {};", {"--v8-flags=" + flag});
    if (r.err.find("missing value for flag") != std::string::npos) {  // --stack-trace-limit=5
      flag += "=5";
      r = Build("export {};", {"--v8-flags=" + flag});
    }
    EXPECT_EQ(r.exit_code, 1) << late.name;
    EXPECT_THAT(r.err, HasSubstr("--v8-flags: " + flag + " (" + late.adds)) << late.name;
  }
}

}  // namespace
}  // namespace v8snap::testing
