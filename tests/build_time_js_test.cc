// End to end: the JS environment while a snapshot is built and the hooks around serialization
// (docs/snapshotting.md, "The JS environment while building"; docs/runtime.md, v8snap.snapshot):
// what a build-time feature test sees, what a load restores, what is refused and why. Every
// scenario is built by snapshot_builder, then run by snapshot_run from the snapshot and, where
// it says so, from source, whose output must be the same.
#include <string>
#include <vector>

#include "format/atomic_file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The linked V8's major version, from `snapshot_run --version` ("... V8 10.2.154.26-...").
int LinkedV8Major() {
  ToolResult r = RunTool("snapshot_run", {"--version"});
  size_t at = r.out.find("V8 ");
  return at == std::string::npos ? 0 : std::atoi(r.out.c_str() + at + 3);
}

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

// What a feature test sees while building, by V8 major version.
struct LateBuiltin {
  const char* expression;  // read while building (typeof) and at run time
  const char* v8_10;       // V8 10.2: "shim" (exists while building), "placeholder"
  const char* v8_13;       // V8 13.6: expected once it is linked
};
constexpr LateBuiltin kLateBuiltins[] = {
    {"[].at", "shim", "native"},
    {"[].findLast", "shim", "native"},
    {"[].findLastIndex", "shim", "native"},
    {"new Int8Array(1).at", "shim", "native"},
    {"new Int8Array(1).findLast", "shim", "native"},
    {"new Int8Array(1).findLastIndex", "shim", "native"},
    {"''.at", "shim", "native"},
    {"Object.hasOwn", "shim", "native"},
    {"SharedArrayBuffer", "placeholder", "placeholder"},
    {"Atomics", "placeholder", "placeholder"},
    {"WebAssembly", "placeholder", "placeholder"},
};

const char* Expectation(const LateBuiltin& builtin, int major) {
  switch (major) {
    case 10:
      return builtin.v8_10;
    case 13:
      return builtin.v8_13;
    default:
      return nullptr;
  }
}

TEST_F(BuildTimeJsTest, AFeatureTestWhileBuildingSeesWhatTheRunTimeHas) {
  int major = LinkedV8Major();
  std::string app = "export const seen = {};\n";
  std::string main = "import { seen } from 'ext:app/app.js';\n";
  for (const LateBuiltin& builtin : kLateBuiltins) {
    ASSERT_NE(Expectation(builtin, major), nullptr)
        << "V8 " << major << " has no column in kLateBuiltins: add one";
    app +=
        std::string("seen[\"") + builtin.expression + "\"] = typeof " + builtin.expression + ";\n";
    main += std::string("console.log(\"") + builtin.expression + "\", seen[\"" +
            builtin.expression + "\"] === typeof " + builtin.expression + ");\n";
  }
  ToolResult build = Build(app);
  ASSERT_EQ(build.exit_code, 0) << build.err;
  for (const LateBuiltin& builtin : kLateBuiltins) {
    // A placeholder's read is a warning naming the place; a shim's is silent.
    std::string warning = std::string(": warning: ") + builtin.expression + " was read while";
    if (std::string(Expectation(builtin, major)) == "placeholder") {
      EXPECT_THAT(build.err, HasSubstr(warning)) << builtin.expression;
    } else {
      EXPECT_THAT(build.err, Not(HasSubstr(warning))) << builtin.expression;
    }
  }
  EXPECT_THAT(build.err, HasSubstr("app.js:12:1: warning: WebAssembly was read while the "
                                   "snapshot was built, but V8 10.2 has none then"));
  ToolResult r = Run(main);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const LateBuiltin& builtin : kLateBuiltins) {
    EXPECT_THAT(r.out, HasSubstr(std::string(builtin.expression) + " true\n"));
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
  if (LinkedV8Major() != 10) GTEST_SKIP() << "V8 10.2's limit";
  for (const char* use : {"new WebAssembly.Memory({ initial: 1 })", "new SharedArrayBuffer(8)",
                          "Atomics.add(new Int32Array(1), 0, 1)", "String(WebAssembly)"}) {
    ToolResult build = Build(std::string("export const x = ") + use + ";\n");
    EXPECT_EQ(build.exit_code, 1) << use;
    std::string name = std::string(use).find("WebAssembly") != std::string::npos ? "WebAssembly"
                       : std::string(use).find("Atomics") != std::string::npos
                           ? "Atomics"
                           : "SharedArrayBuffer";
    EXPECT_THAT(build.err, HasSubstr("app.js:1:")) << use;
    EXPECT_THAT(build.err, HasSubstr("Uncaught Error: " + name +
                                     " is not available while a snapshot is built on V8 10.2 "
                                     "(V8 installs it only after a snapshot is loaded); create it "
                                     "at run time: in a v8snap.snapshot.onDeserialize callback, "
                                     "or lazily on first use"))
        << use;
    EXPECT_THAT(build.err, Not(HasSubstr("build-time-globals"))) << use;
  }
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

TEST_F(BuildTimeJsTest, FreezingWhatV8AddsToAfterALoadIsRefusedNamingIt) {
  ToolResult build = Build("Object.freeze(globalThis);\n");
  EXPECT_EQ(build.exit_code, 1);
  EXPECT_THAT(build.err, HasSubstr("the snapshot cannot be loaded: at the end of the build "
                                   "globalThis is frozen, sealed or not extensible. V8 10.2 adds"));
  EXPECT_THAT(build.err, HasSubstr("fix: freeze them at run time: call Object.freeze (or your "
                                   "lockdown) in a v8snap.snapshot.onDeserialize callback"));
  EXPECT_EQ(tmp_.Read("s.bin"), "");

  // SES-style: every intrinsic frozen; each one V8 adds to is named.
  build = Build(
      "for (const o of [Math, JSON, Array.prototype, String.prototype, Object, Error, "
      "Object.getPrototypeOf(Int8Array.prototype)]) Object.freeze(o);\n");
  EXPECT_EQ(build.exit_code, 1);
  EXPECT_THAT(build.err, HasSubstr("Array.prototype is frozen, sealed or not extensible, "
                                   "%TypedArray%.prototype is frozen, sealed or not extensible, "
                                   "String.prototype is frozen, sealed or not extensible, Object "
                                   "is frozen, sealed or not extensible, Error is frozen"));
  EXPECT_THAT(build.err, Not(HasSubstr("Math")));

  build = Build("Object.defineProperty(Object, 'hasOwn', { value: 1, configurable: false });\n");
  EXPECT_EQ(build.exit_code, 1);
  EXPECT_THAT(build.err, HasSubstr("Object.hasOwn is not configurable"));
}

TEST_F(BuildTimeJsTest, FreezingOtherIntrinsicsOrFreezingInAnOnDeserializeCallbackLoads) {
  ASSERT_EQ(Build("Object.freeze(Math);\nObject.freeze(JSON);\n"
                  "v8snap.snapshot.onDeserialize(() => { Object.freeze(Array.prototype); "
                  "Object.freeze(globalThis); });\n")
                .exit_code,
            0);
  ToolResult r =
      Run("console.log(Object.isFrozen(Math), Object.isFrozen(globalThis), "
          "Object.isFrozen(Array.prototype), [1, 2].at(-1), typeof WebAssembly);\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "true true true 2 object\n");
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
  if (LinkedV8Major() != 10) GTEST_SKIP() << "V8 10.2's late flags";
  ToolResult build = Build("export const resizable = 'resize' in ArrayBuffer.prototype;\n",
                           {"--v8-flags=--harmony-rab-gsab"});
  EXPECT_EQ(build.exit_code, 1);
  EXPECT_THAT(build.err,
              HasSubstr("--v8-flags: --harmony-rab-gsab (resizable ArrayBuffer and growable "
                        "SharedArrayBuffer (ArrayBuffer.prototype.resize, "));
  EXPECT_THAT(build.err, HasSubstr("takes effect only in a context that is not being "
                                   "snapshotted: V8 10.2 applies it after a snapshot is loaded, "
                                   "so what it adds is absent while this snapshot is built"));
  EXPECT_THAT(build.err, HasSubstr("fix: drop it"));
  build = Build("export {};", {"--v8-flags=--expose_gc --no-harmony-object-has-own"});
  EXPECT_EQ(build.exit_code, 1);
  EXPECT_THAT(build.err, HasSubstr("--expose_gc (gc()), --no-harmony-object-has-own "
                                   "(Object.hasOwn) take effect only"));
}

}  // namespace
}  // namespace v8snap::testing
