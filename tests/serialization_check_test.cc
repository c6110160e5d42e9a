// End to end: the builder's heap check before CreateBlob (snapshot_builder/serialization_check.h)
// and the runtime's refusal of a snapshot larger than --max-heap-mb. What V8 would abort on
// (Intl objects, a FinalizationRegistry with a collected target, a blob whose ArrayBuffers or
// heap exceed the limit) ends in a clean error naming the object's JS path or both figures, and
// an Error made at build time keeps its real stack positions.
#include <filesystem>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class SerializationCheckTest : public ::testing::Test {
 protected:
  // Builds a manifest of core, console and an extension "app" whose one source (a classic
  // script for "js", a module for "esm") is `app`.
  ToolResult Build(const std::string& app, const std::string& kind = "js") {
    std::string extensions =
        std::filesystem::relative(SourcePath("extensions"), tmp_.path()).string();
    manifest_ = tmp_.Write("m.textproto",
                           "name: \"check\"\n"
                           "extension { name: \"core\" js: \"" +
                               extensions +
                               "/core/core.js\" }\n"
                               "extension { name: \"console\" deps: \"core\" esm: \"" +
                               extensions +
                               "/console/console.js\" }\n"
                               "extension { name: \"app\" deps: \"core\" " +
                               kind + ": \"app.js\" }\n");
    tmp_.Write("app.js", app);
    return RunTool("snapshot_builder", {"--manifest", manifest_, "--out", Blob()});
  }
  // Runs `script` on the snapshot just built, or from the manifest's sources.
  ToolResult Run(const std::string& script, std::vector<std::string> flags = {},
                 bool from_source = false) {
    std::vector<std::string> args = {"--manifest", manifest_};
    if (from_source) {
      args.push_back("--no-snapshot");
    } else {
      args.insert(args.end(), {"--snapshot", Blob()});
    }
    args.insert(args.end(), flags.begin(), flags.end());
    args.push_back(tmp_.Write("main.js", script));
    return RunTool("snapshot_run", args);
  }
  std::string Blob() const { return tmp_.path() + "/app.bin"; }
  bool BlobWritten() const { return std::filesystem::exists(Blob()); }

  TempDir tmp_;
  std::string manifest_;
};

struct Unserializable {
  const char* kind;  // "js" or "esm"
  const char* app;
  const char* line;  // the line of the error that names the object
};

// Each used to end in V8's `Check failed: handle_checker.CheckGlobalAndEternalHandles()`
// (exit 133) with nothing naming the source.
TEST_F(SerializationCheckTest, EveryIntlObjectIsNamedByItsPathAndKind) {
  const std::vector<Unserializable> rows = {
      {"js", "globalThis.fmt = new Intl.NumberFormat();", "globalThis.fmt: an Intl.NumberFormat"},
      {"js", "globalThis.fmt = new Intl.DateTimeFormat();",
       "globalThis.fmt: an Intl.DateTimeFormat"},
      {"js", "globalThis.fmt = new Intl.Collator();", "globalThis.fmt: an Intl.Collator"},
      {"js", "globalThis.fmt = new Intl.Segmenter();", "globalThis.fmt: an Intl.Segmenter"},
      {"js", "globalThis.fmt = new Intl.PluralRules();", "globalThis.fmt: an Intl.PluralRules"},
      {"js", "globalThis.fmt = new Intl.ListFormat();", "globalThis.fmt: an Intl.ListFormat"},
      {"js", "globalThis.fmt = new Intl.RelativeTimeFormat();",
       "globalThis.fmt: an Intl.RelativeTimeFormat"},
      {"js", "globalThis.fmt = new Intl.Locale('en');", "globalThis.fmt: an Intl.Locale"},
      {"js", "globalThis.fmt = new Intl.DisplayNames('en', { type: 'region' });",
       "globalThis.fmt: an Intl.DisplayNames"},
      {"js", "globalThis.fmt = new Intl.v8BreakIterator();",
       "globalThis.fmt: an Intl.v8BreakIterator"},
      {"js", "globalThis.parts = new Intl.Segmenter().segment('ab');",
       "globalThis.parts: an Intl.Segments"},
      {"js", "class Money extends Intl.NumberFormat {}\nglobalThis.money = new Money();",
       "globalThis.money: an Intl.NumberFormat"},
      {"js", "globalThis.a = { b: [1, new Intl.Collator()] };",
       "globalThis.a.b[1]: an Intl.Collator"},
      {"js", "globalThis['x y'] = new Intl.Collator();", "globalThis[\"x y\"]: an Intl.Collator"},
      {"js", "globalThis.cache = new Map([['en', new Intl.Collator()]]);",
       "globalThis.cache (an entry of the Map): an Intl.Collator"},
      {"js", "globalThis.p = Promise.resolve(new Intl.Collator());",
       "globalThis.p (the promise's result): an Intl.Collator"},
      {"js", "const fmt = new Intl.NumberFormat();",
       "top-level variable fmt (a let, const or class of a classic script): an Intl.NumberFormat"},
      {"js",
       "globalThis.format = (() => {\n  const fmt = new Intl.NumberFormat();\n"
       "  return (n) => fmt.format(n);\n})();",
       "variable fmt in the scope of ext:app/app.js (held by globalThis.format): an "
       "Intl.NumberFormat"},
      {"js",
       "globalThis.get = (() => {\n  const cache = { fmt: new Intl.NumberFormat() };\n"
       "  return () => cache;\n})();",
       "variable cache in the scope of ext:app/app.js (held by globalThis.get), at cache.fmt: an "
       "Intl.NumberFormat"},
      {"esm", "export const list = [1, new Intl.Locale('en')];",
       "export list of ext:app/app.js, at list[1]: an Intl.Locale"},
      // Not exported, but a function of the module captures it: the module keeps its scope.
      {"esm", "const fmt = new Intl.NumberFormat();\nfunction f() { return fmt; }",
       "variable fmt in the scope of ext:app/app.js: an Intl.NumberFormat"},
      {"esm", "export const fmt = new Intl.NumberFormat();",
       "export fmt of ext:app/app.js: an Intl.NumberFormat"},
      {"esm",
       "const fmt = new Intl.NumberFormat();\nexport function f(n) { return fmt.format(n); }",
       "variable fmt in the scope of ext:app/app.js (held by export f of ext:app/app.js): an "
       "Intl.NumberFormat"},
  };
  for (const Unserializable& row : rows) {
    SCOPED_TRACE(row.app);
    std::filesystem::remove(Blob());
    ToolResult r = Build(row.app, row.kind);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_THAT(r.err, HasSubstr("cannot go into a snapshot"));
    EXPECT_THAT(r.err, HasSubstr(std::string("\n  ") + row.line + " ("));
    EXPECT_THAT(r.err, HasSubstr("fix: create such objects at run time"));
    EXPECT_THAT(r.err, HasSubstr("v8snap.snapshot.onSerialize"));
    EXPECT_THAT(r.err, Not(HasSubstr("Check failed")));
    EXPECT_FALSE(BlobWritten());
  }
}

TEST_F(SerializationCheckTest, AllOfThemAreNamedAtOnce) {
  ToolResult r = Build(
      "globalThis.a = new Intl.NumberFormat();\n"
      "globalThis.b = new Intl.Collator();\n"
      "globalThis.c = [new Intl.PluralRules()];\n");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("3 objects reachable at the end of the build cannot go into a "
                               "snapshot:\n"));
  EXPECT_THAT(r.err, HasSubstr("\n  globalThis.a: an Intl.NumberFormat"));
  EXPECT_THAT(r.err, HasSubstr("\n  globalThis.b: an Intl.Collator"));
  EXPECT_THAT(r.err, HasSubstr("\n  globalThis.c[0]: an Intl.PluralRules"));
}

// V8 10.2 CHECKs that a buffer's length fits an int32 (`buffer.byte_length() <= int32 max`),
// and a blob's size is an int. Calloc'ed, so the 2 GiB cost no memory until written.
TEST_F(SerializationCheckTest, ArrayBuffersV8CannotWriteAreRefusedAtBuildTime) {
  ToolResult one = Build("globalThis.view = new Uint8Array(new ArrayBuffer(2 ** 31), 8);\n");
  EXPECT_EQ(one.exit_code, 1) << one.err;
  EXPECT_THAT(one.err, HasSubstr("\n  globalThis.view.buffer: an ArrayBuffer of 2147483648 bytes "
                                 "(V8 aborts on a buffer over 2 GiB - 1 = 2147483647 bytes in a "
                                 "snapshot)"));
  EXPECT_THAT(one.err, Not(HasSubstr("Check failed")));
  ToolResult total = Build("globalThis.big = new ArrayBuffer(2 ** 31 - 1);\n");
  EXPECT_EQ(total.exit_code, 1) << total.err;
  EXPECT_THAT(total.err, HasSubstr("more than the 2 GiB - 1 (2147483647 bytes) a V8 snapshot "
                                   "blob can hold"));
  EXPECT_THAT(total.err, HasSubstr("fix: keep large data out of the snapshot"));
  EXPECT_FALSE(BlobWritten());
}

// The global proxy gets a new identity hash after each load: an entry keyed by globalThis was
// silently lost (`map.get(globalThis)` undefined, `weakSet.has(globalThis)` false, while Node
// and --no-snapshot find it).
TEST_F(SerializationCheckTest, CollectionsKeyedByGlobalThisAreRefused) {
  ToolResult r = Build(
      "globalThis.m = new Map([[globalThis, 1]]);\n"
      "globalThis.ws = new WeakSet([globalThis]);\n"
      "globalThis.kept = new Map([['self', globalThis]]);\n");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("2 objects reachable at the end of the build cannot go into a "
                               "snapshot:\n"));
  EXPECT_THAT(r.err, HasSubstr("\n  globalThis.m: a Map with globalThis as a key (V8 gives "
                               "globalThis a new identity hash after each load, so that entry "
                               "would be lost; add it in a v8snap.snapshot.onDeserialize "
                               "callback instead)"));
  EXPECT_THAT(r.err, HasSubstr("\n  globalThis.ws: a WeakSet with globalThis as a key"));
  EXPECT_THAT(r.err, Not(HasSubstr("globalThis.kept")));  // a value, not a key: it keeps
}

// What is not reachable when the build ends is not in the snapshot: using Intl while building
// is fine, and so are V8's own ICU caches behind toLocaleString and localeCompare.
TEST_F(SerializationCheckTest, IntlUsedButNotKeptBuildsAndRuns) {
  ToolResult build = Build(
      "globalThis.label = new Intl.NumberFormat('en-US').format(1234.5);\n"
      "globalThis.sorted = ['b', 'a'].sort((x, y) => x.localeCompare(y)).join();\n"
      "globalThis.local = (1234.5).toLocaleString('en-US');\n");
  ASSERT_EQ(build.exit_code, 0) << build.err;
  ToolResult run =
      Run("console.log(label, sorted, local, new Intl.NumberFormat('en-US').format(2));");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "1,234.5 a,b 1,234.5 2\n");
}

// V8 aborted on `dirty_js_finalization_registries_list().IsUndefined()` when a registered
// target had been collected and its callback not yet run, even with the registry unreachable.
TEST_F(SerializationCheckTest, FinalizationRegistryWithCollectedTargetsBuildsAndRuns) {
  ToolResult build = Build(
      "globalThis.kept = {};\n"
      "globalThis.registry = new FinalizationRegistry(() => {});\n"
      "registry.register(kept, 'kept');\n"
      "registry.register({}, 'collected');\n"
      "new FinalizationRegistry(() => {}).register({}, 'unreachable');\n"
      "globalThis.ref = new WeakRef(kept);\n");
  ASSERT_EQ(build.exit_code, 0) << build.err;
  ToolResult run = Run("console.log(typeof registry.register, ref.deref() === kept);");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "function true\n");
}

// An Error made at build time and read at run time printed `ext:app/app.js:1:1` frames: V8
// formats a stack lazily, from code the blob no longer maps to its source.
TEST_F(SerializationCheckTest, ErrorMadeAtBuildTimeKeepsItsRealStackPositions) {
  ToolResult build = Build(
      "function make() {\n"
      "  return new Error('made while building');\n"
      "}\n"
      "globalThis.e = make();\n"
      "class Oops extends Error {}\n"
      "globalThis.list = [new Oops('in a list')];\n");
  ASSERT_EQ(build.exit_code, 0) << build.err;
  const std::string script = "console.log(e.stack);\nconsole.log(list[0].stack);\n";
  ToolResult run = Run(script);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out,
            "Error: made while building\n"
            "    at make (ext:app/app.js:2:10)\n"
            "    at ext:app/app.js:4:16\n"
            "Error: in a list\n"
            "    at ext:app/app.js:6:20\n");
  ToolResult source = Run(script, {}, /*from_source=*/true);
  EXPECT_EQ(source.exit_code, 0) << source.err;
  EXPECT_EQ(run.out, source.out);
}

// V8's deserializer aborted (`backing_store != nullptr`) when the snapshot's ArrayBuffers did
// not fit the limit on ArrayBuffer memory.
TEST_F(SerializationCheckTest, SnapshotWhoseArrayBuffersExceedTheLimitIsRefusedBeforeLoading) {
  ToolResult build = Build(
      "globalThis.big = new ArrayBuffer(160 * 1024 * 1024);\n"
      "new Uint8Array(big).fill(7);\n");
  ASSERT_EQ(build.exit_code, 0) << build.err;
  const std::string script = "console.log(big.byteLength, new Uint8Array(big)[12345]);";
  ToolResult refused = Run(script, {"--max-heap-mb=64"});
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  EXPECT_EQ(refused.out, "");
  EXPECT_THAT(refused.err, HasSubstr("snapshot_run: error: snapshot '" + Blob() +
                                     "' needs 160 MiB (167772160 bytes)"));
  EXPECT_THAT(refused.err, HasSubstr("of ArrayBuffer memory, more than the 64 MiB limit given "
                                     "(--max-heap-mb 64)"));
  EXPECT_THAT(refused.err, HasSubstr("fix: run it with --max-heap-mb 160 or more"));
  ToolResult enough = Run(script, {"--max-heap-mb=200"});
  EXPECT_EQ(enough.exit_code, 0) << enough.err;
  EXPECT_EQ(enough.out, "167772160 7\n");
}

// A heap too big for the limit said "V8's default heap limit (0 MiB)", or ran out of memory
// in whatever ran first; it is refused naming the limit given and what the snapshot needs.
TEST_F(SerializationCheckTest, SnapshotWhoseHeapExceedsTheLimitIsRefusedNamingBothSizes) {
  ToolResult build = Build(
      "globalThis.keep = [];\n"
      "for (let i = 0; i < 60; i++) keep.push(new Array(100000).fill(i + 0.5));\n");
  ASSERT_EQ(build.exit_code, 0) << build.err;
  ToolResult refused = Run("console.log(keep.length);", {"--max-heap-mb=16"});
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  EXPECT_THAT(refused.err, HasSubstr("of JS heap, more than the 16 MiB limit given "
                                     "(--max-heap-mb 16)"));
  EXPECT_THAT(refused.err, HasSubstr("fix: run it with --max-heap-mb"));
  EXPECT_THAT(refused.err, Not(HasSubstr("0 MiB)")));
  ToolResult enough = Run("console.log(keep.length);", {"--max-heap-mb=256"});
  EXPECT_EQ(enough.exit_code, 0) << enough.err;
  EXPECT_EQ(enough.out, "60\n");
}

}  // namespace
}  // namespace v8snap::testing
