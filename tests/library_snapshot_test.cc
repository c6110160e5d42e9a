// End to end with real npm packages, unmodified (tools/fetch_npm_fixtures.sh: pinned versions,
// cached under out/): lodash's UMD build as a CommonJS source, preact and
// preact-render-to-string, which imports "preact" by its bare name, through the manifest's
// import map. A library snapshot runs from its pair alone and prints what node prints for the
// same script; a stale source is refused by the runtime and by verify.
#include <stdio.h>
#include <stdlib.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "format/atomic_file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Where tools/fetch_npm_fixtures.sh unpacks the packages: out/npm/node_modules.
std::string NpmModules() {
  std::string bin = ToolPath("snapshot_run");
  std::string out = bin.substr(0, bin.rfind('/')) + "/..";
  return out + "/npm/node_modules";
}

// Runs a shell command; its stdout, and its exit code in `code`.
std::string Shell(const std::string& command, int* code) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    *code = -1;
    return out;
  }
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof(buffer), pipe)) > 0;) out.append(buffer, n);
  int status = pclose(pipe);
  *code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

// The script both runtimes run, bare specifiers and all.
constexpr char kMain[] = R"(import _ from "lodash";
import { h, Fragment } from "preact";
import { renderToString } from "preact-render-to-string";
console.log(_.chunk([1, 2, 3, 4, 5], 2).map((c) => c.join("+")).join(" | "));
console.log(_.template("hello <%= user %>!")({ user: "snapshot" }));
console.log(_.kebabCase("Layered Snapshot Libraries"), _.VERSION);
const items = _.sortBy([{ n: "b", v: 2 }, { n: "a", v: 1 }], "v");
console.log(renderToString(h(Fragment, null,
    h("ul", { class: "list" }, items.map((i) => h("li", { key: i.n }, i.n))),
    h("p", { style: { color: "red" } }, "<escaped> & done"))));
)";

// The runtime's extensions (the default manifest, sources in the source tree) and the libraries.
constexpr char kLibraries[] = R"(
extension {
  name: "lodash"
  cjs: "node_modules/lodash/lodash.js"
}
extension {
  name: "preact"
  esm: "node_modules/preact/dist/preact.mjs"
}
extension {
  name: "preact_render"
  deps: "preact"
  esm: "node_modules/preact-render-to-string/dist/index.mjs"
}
import_map { from: "lodash" to: "ext:lodash/lodash.js" }
import_map { from: "preact" to: "ext:preact/preact.mjs" }
import_map { from: "preact-render-to-string" to: "ext:preact_render/index.mjs" }
)";

class LibrarySnapshotTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    int code = 0;
    std::string out = Shell(
        absl::StrCat(SourcePath("tools/fetch_npm_fixtures.sh"), " '", NpmModules(), "/../..' 2>&1"),
        &code);
    ASSERT_EQ(code, 0) << out;
  }
  // The packages copied into the test's folder (node resolves them there too), the manifest
  // written beside them.
  void SetUp() override {
    int code = 0;
    std::string out =
        Shell(absl::StrCat("mkdir -p '", tmp_.path(), "/node_modules' && cp -r '", NpmModules(),
                           "/lodash' '", NpmModules(), "/preact' '", NpmModules(),
                           "/preact-render-to-string' '", tmp_.path(), "/node_modules/' 2>&1"),
              &code);
    ASSERT_EQ(code, 0) << out;
    std::string up;  // from the test's folder to the root: manifest paths are relative
    for (char c : tmp_.path()) {
      if (c == '/') up += "../";
    }
    absl::StatusOr<std::string> read = ReadFileToString(SourcePath("manifests/default.textproto"));
    ASSERT_TRUE(read.ok()) << read.status();
    std::string text = *read;
    std::string from_root = up + SourcePath("extensions/").substr(1);
    for (size_t at; (at = text.find("\"../extensions/")) != std::string::npos;) {
      text.replace(at + 1, std::string("../extensions/").size(), from_root);
    }
    manifest_ = tmp_.Write("app.textproto", text + kLibraries + extra_manifest_);
    main_ = tmp_.Write("main.mjs", kMain);
  }
  std::string Snap() const { return tmp_.path() + "/app.bin"; }
  void Build() {
    ToolResult build = RunTool("snapshot_builder", {"--manifest", manifest_, "--out", Snap()});
    ASSERT_EQ(build.exit_code, 0) << build.err;
  }
  TempDir tmp_;
  std::string extra_manifest_;
  std::string manifest_;
  std::string main_;
};

TEST_F(LibrarySnapshotTest, RunsFromItsPairAloneAndPrintsWhatNodePrints) {
  Build();
  int code = 0;
  std::string node = Shell(absl::StrCat("cd '", tmp_.path(), "' && node main.mjs 2>&1"), &code);
  ASSERT_EQ(code, 0) << node;
  ASSERT_THAT(node, HasSubstr("<ul class=\"list\"><li>a</li><li>b</li></ul>"));
  // The packages gone: the snapshot carries every line of their JS.
  ASSERT_EQ(system(absl::StrCat("rm -rf '", tmp_.path(), "/node_modules'").c_str()), 0);
  ToolResult r = RunTool("snapshot_run", {"--snapshot", Snap(), "--verbose", main_});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, node);
  EXPECT_THAT(r.err, HasSubstr("from the snapshot alone (JS-only, no sources read): lodash, "
                               "preact, preact_render"));
}

TEST_F(LibrarySnapshotTest, InfoShowsTheCommonJsSourceAndTheImportMap) {
  Build();
  ToolResult r = RunTool("snapshot_inspect", {"info", Snap(), "--only", "extensions,modules"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, ::testing::ContainsRegex("lodash +CJS +node_modules/lodash/lodash.js +"
                                              "ext:lodash/lodash.js"));
  EXPECT_THAT(r.out, HasSubstr("Import map (3)"));
  EXPECT_THAT(r.out, ::testing::ContainsRegex("preact +ext:preact/preact.mjs"));
  EXPECT_THAT(r.out, ::testing::ContainsRegex("preact-render-to-string +ext:preact_render/"
                                              "index.mjs"));
}

TEST_F(LibrarySnapshotTest, StaleLibraryIsRefusedByTheRuntimeAndByVerify) {
  Build();
  ToolResult fresh = RunTool("snapshot_inspect", {"verify", Snap(), "--manifest", manifest_});
  EXPECT_EQ(fresh.exit_code, 0) << fresh.out;
  // Another version of the file over the one the snapshot was built from.
  ASSERT_EQ(
      system(absl::StrCat("echo '// patched' >> '", tmp_.path(), "/node_modules/lodash/lodash.js'")
                 .c_str()),
      0);
  for (const ToolResult& r :
       {RunTool("snapshot_run", {"--snapshot", Snap(), "--manifest", manifest_, main_}),
        RunTool("snapshot_inspect", {"verify", Snap(), "--manifest", manifest_})}) {
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_THAT(r.out, Not(HasSubstr("1+2")));
    EXPECT_THAT(r.err, ::testing::ContainsRegex(
                           "source 'node_modules/lodash/lodash.js' of extension 'lodash' changed "
                           "since the snapshot was built: XXH3-128 [0-9a-f]{32} in the snapshot, "
                           "[0-9a-f]{32} in the file now"));
    EXPECT_THAT(r.err, HasSubstr("fix: rebuild the snapshot from the manifest"));
  }
}

class CommonJsRequireTest : public LibrarySnapshotTest {
 protected:
  void SetUp() override {
    tmp_.Write("lib/words.js",
               "const _ = require('lodash');\n"
               "const helper = require('./helper');\n"
               "module.exports = (text) => helper.shout(_.words(text).join('-'));\n"
               "module.exports.count = (text) => _.words(text).length;\n"
               "module.exports.same = require('./helper/index.js') === helper;\n");
    tmp_.Write("lib/helper/index.js", "exports.shout = (s) => s.toUpperCase() + '!';\n");
    extra_manifest_ =
        "extension {\n  name: \"words\"\n  deps: \"lodash\"\n"
        "  cjs: [\"lib/words.js\", \"lib/helper/index.js\"]\n}\n"
        "import_map { from: \"words\" to: \"ext:words/words.js\" }\n";
    LibrarySnapshotTest::SetUp();
  }
};

TEST_F(CommonJsRequireTest, RequireResolvesRelativePathsAndBareNamesOfTheImportMap) {
  Build();
  std::string script = tmp_.Write("words_main.mjs",
                                  "import words from 'words';\n"
                                  "import direct from 'ext:words/words.js';\n"
                                  "console.log(words('one two, three'), words.count('a b c d'), "
                                  "words.same, direct === words);\n");
  ToolResult r = RunTool("snapshot_run", {"--snapshot", Snap(), script});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "ONE-TWO-THREE! 4 true true\n");
}

TEST_F(CommonJsRequireTest, UnknownRequireFailsTheBuildWithTheFix) {
  tmp_.Write("lib/helper/index.js", "require('left-pad');\n");
  ToolResult build = RunTool("snapshot_builder", {"--manifest", manifest_, "--out", Snap()});
  EXPECT_EQ(build.exit_code, 1);
  EXPECT_THAT(build.err, HasSubstr("Cannot find module 'left-pad' required by ext:words/index.js"));
  EXPECT_THAT(build.err, HasSubstr("import_map { from: ... to: ... }"));
}

}  // namespace
}  // namespace v8snap::testing
