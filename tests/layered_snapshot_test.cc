// End to end: a library snapshot (a JS-only extension layered on the default runtime) runs from
// its blob and sidecar alone, never opening a source file; native differences are still refused;
// a manifest whose sources changed since the build is refused by snapshot_run and by verify.
#include <sys/stat.h>

#include <cstdio>
#include <regex>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kLibrary[] = R"(
extension {
  name: "greet"
  deps: "console"
  js: "../lib/install.js"
  esm: "../lib/greet.js"
  lazy_esm: "../lib/later.js"
}
)";

// The default manifest's text and sources, copied into a folder of the test's own (the same
// layout as the source tree: manifests/, extensions/), plus the library in lib/.
class LayeredSnapshotTest : public ::testing::Test {
 protected:
  // Copies the default manifest's sources to extensions/ and returns the manifest's text.
  std::string CopyDefaultSources() {
    std::string text = ReadSource("manifests/default.textproto");
    std::regex source_path("\"\\.\\./(extensions/[^\"]+)\"");
    for (std::sregex_iterator it(text.begin(), text.end(), source_path), end; it != end; ++it) {
      tmp_.Write((*it)[1].str(), ReadSource((*it)[1].str()));
    }
    return text;
  }
  // Writes manifests/<name> = the default manifest + `extra`, with copies of every source.
  std::string WriteManifest(const std::string& name, const std::string& extra) {
    return tmp_.Write("manifests/" + name, CopyDefaultSources() + extra);
  }
  std::string ReadSource(const std::string& relative) {
    std::FILE* f = std::fopen(SourcePath(relative).c_str(), "rb");
    std::string out;
    if (f == nullptr) return out;
    char buffer[65536];
    for (size_t n; (n = std::fread(buffer, 1, sizeof(buffer), f)) > 0;) out.append(buffer, n);
    std::fclose(f);
    return out;
  }
  void WriteLibrary() {
    tmp_.Write("lib/install.js", "globalThis.greeting = 'hello';\n");
    tmp_.Write("lib/greet.js",
               "export function greet(name) { return `${globalThis.greeting}, ${name}`; }\n");
    tmp_.Write("lib/later.js", "export const later = 'lazy too';\n");
  }
  std::string Snap() const { return tmp_.path() + "/app.bin"; }
  void BuildLibrarySnapshot() {
    WriteLibrary();
    ToolResult build =
        RunTool("snapshot_builder",
                {"--manifest", WriteManifest("app.textproto", kLibrary), "--out", Snap()});
    ASSERT_EQ(build.exit_code, 0) << build.err;
  }
  std::string Main() {
    return tmp_.Write("run/main.js",
                      "import { greet } from 'ext:greet/greet.js';\n"
                      "const { later } = await import('ext:greet/later.js');\n"
                      "console.log(greet('library'), later);\n");
  }
  ToolResult Run(std::vector<std::string> flags) {
    std::vector<std::string> args = {"--snapshot", Snap()};
    args.insert(args.end(), flags.begin(), flags.end());
    args.push_back(Main());
    return RunTool("snapshot_run", args);
  }
  // Every source unreadable (mode 000), then gone: root ignores file modes, so the folders are
  // moved away too.
  void MakeSourcesUnreachable() {
    for (const char* file : {"lib/install.js", "lib/greet.js", "lib/later.js"}) {
      ASSERT_EQ(chmod((tmp_.path() + "/" + file).c_str(), 0), 0);
    }
    for (const char* folder : {"lib", "extensions", "manifests"}) {
      ASSERT_EQ(std::rename((tmp_.path() + "/" + folder).c_str(),
                            (tmp_.path() + "/gone-" + folder).c_str()),
                0);
    }
  }
  TempDir tmp_;
};

TEST_F(LayeredSnapshotTest, LibrarySnapshotRunsFromItsPairAloneWithItsSourcesUnreachable) {
  BuildLibrarySnapshot();
  MakeSourcesUnreachable();
  ToolResult r = Run({"--verbose"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "hello, library lazy too\n");
  EXPECT_THAT(r.err, HasSubstr("snapshot_run: loaded " + Snap() +
                               ": 7 extensions from "
                               "manifests/default.textproto (native wiring checked); from the "
                               "snapshot alone (JS-only, no sources read): greet\n"));
}

TEST_F(LayeredSnapshotTest, InfoSaysWhichExtensionsTheSnapshotCarriesAlone) {
  BuildLibrarySnapshot();
  ToolResult r = RunTool("snapshot_inspect", {"info", Snap(), "--only", "extensions"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("loaded from"));
  EXPECT_THAT(r.out, ::testing::ContainsRegex("greet +console +no +yes +3 +- +snapshot alone"));
  EXPECT_THAT(r.out, ::testing::ContainsRegex("core +- +yes +yes +1 +- +snapshot \\+ runtime's "
                                              "ops"));
}

TEST_F(LayeredSnapshotTest, ExactExtensionsRefusesTheLayerWithoutProposingToDropIt) {
  BuildLibrarySnapshot();
  ToolResult r = Run({"--exact-extensions"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("extension 'greet' (position 7 in the snapshot) is missing from "
                               "this runtime"));
  // A rebuild from the runtime's manifest would drop the library: the fix never says so.
  EXPECT_THAT(r.err, Not(HasSubstr("--manifest manifests/default.textproto --out")));
  EXPECT_THAT(r.err, HasSubstr("snapshot_builder --manifest SNAPSHOT_MANIFEST --out " + Snap() +
                               ", where SNAPSHOT_MANIFEST is the manifest the snapshot was built "
                               "from ('default'): it keeps the extension greet, which "
                               "manifests/default.textproto lacks"));
}

TEST_F(LayeredSnapshotTest, NativeWiringThatDiffersIsRefusedEvenWithALayer) {
  WriteLibrary();
  // Without the native extension 'crypto' (JS on top of it is gone too): the runtime's native
  // wiring is not the snapshot's.
  std::string text = CopyDefaultSources();
  text = text.substr(0, text.find("extension {\n  name: \"crypto\""));
  std::string manifest = tmp_.Write("manifests/no_crypto.textproto", text + kLibrary);
  ToolResult build = RunTool("snapshot_builder", {"--manifest", manifest, "--out", Snap()});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  ToolResult r = Run({});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("does not match this runtime's extensions"));
  EXPECT_THAT(r.err, HasSubstr("Loading it would bind ops to the wrong C++ functions"));
  ToolResult v = RunTool("snapshot_inspect", {"verify", Snap(), "--manifest",
                                              SourcePath("manifests/default.textproto")});
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_THAT(v.out, HasSubstr("extension 'crypto'"));
}

TEST_F(LayeredSnapshotTest, MatchingSourcesRunAndVerify) {
  BuildLibrarySnapshot();
  const std::string manifest = tmp_.path() + "/manifests/app.textproto";
  ToolResult r = Run({"--manifest", manifest});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "hello, library lazy too\n");
  ToolResult v = RunTool("snapshot_inspect", {"verify", Snap(), "--manifest", manifest});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_THAT(v.out, HasSubstr("ok    sources        11 sources match the snapshot's XXH3-128 "
                               "digests"));
}

TEST_F(LayeredSnapshotTest, ChangedSourceIsRefusedByTheRuntimeAndByVerify) {
  BuildLibrarySnapshot();
  const std::string manifest = tmp_.path() + "/manifests/app.textproto";
  tmp_.Write("lib/greet.js", "export function greet(name) { return `bye, ${name}`; }\n");
  for (const ToolResult& r :
       {Run({"--manifest", manifest}),
        RunTool("snapshot_inspect", {"verify", Snap(), "--manifest", manifest})}) {
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_THAT(r.out, Not(HasSubstr("bye")));
    EXPECT_THAT(r.err, HasSubstr("snapshot '" + Snap() +
                                 "' is stale: its JS was built from "
                                 "other sources than " +
                                 manifest + " names now (1 difference):"));
    EXPECT_THAT(r.err, ::testing::ContainsRegex(
                           "source '../lib/greet.js' of extension 'greet' changed since the "
                           "snapshot was built: XXH3-128 [0-9a-f]{32} in the snapshot, "
                           "[0-9a-f]{32} in the file now"));
    EXPECT_THAT(r.err, HasSubstr("fix: rebuild the snapshot from the manifest (snapshot_builder "
                                 "--manifest " +
                                 manifest + " --out " + Snap() +
                                 "), or restore the sources it was built from."));
  }
}

TEST_F(LayeredSnapshotTest, MissingAndExtraSourcesAreRefused) {
  BuildLibrarySnapshot();
  std::string text = tmp_.Read("manifests/app.textproto");
  // One source dropped from the manifest, another added.
  text.replace(text.find("  lazy_esm: \"../lib/later.js\"\n"),
               std::string("  lazy_esm: \"../lib/later.js\"\n").size(),
               "  lazy_esm: \"../lib/sooner.js\"\n");
  tmp_.Write("lib/sooner.js", "export const sooner = 1;\n");
  const std::string manifest = tmp_.Write("manifests/changed.textproto", text);
  ToolResult r = Run({"--manifest", manifest});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("(2 differences):"));
  EXPECT_THAT(r.err, ::testing::ContainsRegex(
                         "source '../lib/sooner.js' of extension 'greet' is listed by the "
                         "manifest \\(XXH3-128 [0-9a-f]{32}\\), but the snapshot was built "
                         "without it \\(XXH3-128: none\\)"));
  EXPECT_THAT(r.err, ::testing::ContainsRegex(
                         "source '../lib/later.js' of extension 'greet' was built into the "
                         "snapshot \\(XXH3-128 [0-9a-f]{32}\\), but the manifest no longer "
                         "lists it \\(XXH3-128: none\\)"));
}

}  // namespace
}  // namespace v8snap::testing
