// Unit tests for manifest loading: every problem kind, at its exact file:line:col, and the result.
#include "format/manifest_loader.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <optional>

#include "gtest/gtest.h"

namespace v8snap {
namespace {

using Kind = ManifestProblem::Kind;

std::string Describe(const std::vector<ManifestProblem>& problems) {
  std::string out;
  for (const ManifestProblem& p : problems) out += p.ToString() + "\n";
  return out;
}

class ManifestLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/v8snap-manifest-XXXXXX";
    dir_ = mkdtemp(tmpl);
    manifest_path_ = dir_ + "/m.textproto";
    mkdir((dir_ + "/lib").c_str(), 0755);
    for (const char* name : {"a.js", "b.js", "c.js", "lib/a.js"}) {
      Write(name, std::string("// ") + name);
    }
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }

  void Write(const std::string& relative, const std::string& contents) {
    std::ofstream(dir_ + "/" + relative, std::ios::binary) << contents;
  }

  ManifestLoadResult Load(const std::string& text, const ManifestCheckOptions& options = {}) {
    Write("m.textproto", text);
    return LoadManifest(manifest_path_, options);
  }

  std::string dir_;
  std::string manifest_path_;
};

// One row: a manifest that has exactly one problem, where it is, and words its text must hold.
struct ProblemCase {
  const char* test_name;
  const char* manifest;
  Kind kind;
  int line;
  int column;
  std::vector<std::string> words;  // In the message or the fix.
};

class ManifestProblemTest : public ManifestLoaderTest,
                            public ::testing::WithParamInterface<ProblemCase> {};

TEST_P(ManifestProblemTest, ReportsOneProblemAtItsPlace) {
  const ProblemCase& c = GetParam();
  ManifestLoadResult result = Load(c.manifest);
  EXPECT_FALSE(result.manifest.has_value());
  ASSERT_EQ(result.problems.size(), 1u) << Describe(result.problems);
  const ManifestProblem& p = result.problems[0];
  EXPECT_EQ(p.kind, c.kind) << p.ToString();
  EXPECT_EQ(p.where.file, manifest_path_);
  EXPECT_EQ(p.where.line, c.line) << p.ToString();
  EXPECT_EQ(p.where.column, c.column) << p.ToString();
  EXPECT_FALSE(p.fix.empty());
  for (const std::string& word : c.words) {
    EXPECT_NE(p.ToString().find(word), std::string::npos) << "no '" << word << "' in\n"
                                                          << p.ToString();
  }
}

// One row per case reads better than clang-format's one field per line.
// clang-format off
INSTANTIATE_TEST_SUITE_P(
    Problems, ManifestProblemTest,
    ::testing::Values(
        ProblemCase{"UnquotedString", "extension { name: core }\n", Kind::kSyntax, 1, 19,
                    {"Expected string", "double-quoted"}},
        ProblemCase{"UnterminatedString", "extension {\n  name: \"core\n}\n", Kind::kSyntax, 2, 14,
                    {"syntax error"}},
        ProblemCase{"UnclosedBlock", "extension {\n  name: \"core\"\n", Kind::kSyntax, 3, 1,
                    {"got: the end of the file"}},
        ProblemCase{"FieldGivenTwice", "extension {\n  name: \"a\"\n  name: \"b\"\n}\n",
                    Kind::kSyntax, 3, 3, {"\"name\" is specified multiple times"}},
        ProblemCase{"UnknownFieldInExtension", "extension {\n  nmae: \"a\"\n  js: \"a.js\"\n}\n",
                    Kind::kUnknownField, 2, 3,
                    {"unknown field 'nmae'", "name, deps, js, esm, lazy_esm, enabled",
                     "did you mean 'name'?"}},
        ProblemCase{"UnknownTopLevelField", "extensions { name: \"a\" js: \"a.js\" }\n",
                    Kind::kUnknownField, 1, 1,
                    {"'extensions'", "top level", "name, extension", "did you mean 'extension'?"}},
        ProblemCase{"NoExtensionBlocks",
                    "# proto-file: format/manifest.proto\n# proto-message: v8snap.Manifest\n"
                    "name: \"x\"\n",
                    Kind::kEmpty, 1, 1, {"found none", "add a block such as `extension {"}},
        ProblemCase{"EmptyName", "extension {\n  name: \"\"\n  js: \"a.js\"\n}\n", Kind::kOther,
                    2, 9, {"expected the extension to have a name"}},
        ProblemCase{"MissingName", "extension { js: \"a.js\" }\n", Kind::kOther, 1, 1,
                    {"have a name"}},
        ProblemCase{"DuplicateExtension",
                    "extension { name: \"a\" js: \"a.js\" }\n"
                    "extension { name: \"a\" js: \"b.js\" }\n",
                    Kind::kDuplicateExtension, 2, 19,
                    {"'a' is declared twice", "first at line 1"}},
        ProblemCase{"UnknownDependencyWithTypo",
                    "extension { name: \"core\" js: \"a.js\" }\n"
                    "extension {\n  name: \"b\"\n  deps: \"cor\"\n  js: \"b.js\"\n}\n",
                    Kind::kUnknownDependency, 4, 9,
                    {"'b' depends on 'cor'", "did you mean 'core'?"}},
        ProblemCase{"UnknownDependencyListsNames",
                    "extension { name: \"core\" js: \"a.js\" }\n"
                    "extension { name: \"fetch\" js: \"b.js\" }\n"
                    "extension { name: \"b\" deps: [\"core\", \"websocket\"] js: \"c.js\" }\n",
                    Kind::kUnknownDependency, 3, 38,
                    {"'websocket'", "this manifest declares: 'core', 'fetch', 'b'"}},
        ProblemCase{"DependencyAfterDependent",
                    "extension { name: \"web\" deps: \"core\" js: \"a.js\" }\n"
                    "extension { name: \"core\" js: \"b.js\" }\n",
                    Kind::kDependencyAfterDependent, 1, 31,
                    {"'web' depends on 'core'", "line 2", "move 'core' before 'web'",
                     "order that satisfies every dependency: core, web"}},
        ProblemCase{"Cycle",
                    "extension { name: \"a\" deps: \"b\" js: \"a.js\" }\n"
                    "extension { name: \"b\" deps: \"c\" js: \"b.js\" }\n"
                    "extension { name: \"c\" deps: \"a\" js: \"c.js\" }\n",
                    Kind::kCycle, 1, 29, {"dependency cycle: a -> b -> c -> a", "remove one"}},
        ProblemCase{"SelfDependencyIsACycle",
                    "extension { name: \"a\" deps: \"a\" js: \"a.js\" }\n", Kind::kCycle, 1, 29,
                    {"a -> a", "depends on itself", "remove 'a' from its own deps"}},
        ProblemCase{"AbsoluteSourcePath", "extension { name: \"a\" js: \"/etc/a.js\" }\n",
                    Kind::kOther, 1, 27, {"'/etc/a.js'", "is absolute", "relative"}},
        ProblemCase{"EmptySourcePath", "extension { name: \"a\" esm: \"\" }\n", Kind::kOther, 1,
                    28, {"found an empty string"}},
        ProblemCase{"TwoModulesWithOneSpecifier",
                    "extension {\n  name: \"a\"\n  esm: \"a.js\"\n  lazy_esm: \"lib/a.js\"\n}\n",
                    Kind::kOther, 4, 13,
                    {"'ext:a/a.js' of 'lib/a.js'", "already used by 'a.js' (line 3)"}}),
    [](const ::testing::TestParamInfo<ProblemCase>& info) { return info.param.test_name; });
// clang-format on

// The import map: three extensions whose importable sources are ext:preact/a.js (esm),
// ext:preact/b.js (cjs) and ext:app/c.js (lazy_esm); ext:core/a.js is a classic script. Each row
// adds import_map lines from line 4 on; `import_map { from: "` puts the from string at column 20.
#define V8SNAP_IMPORT_MAP_BASE                                      \
  "extension { name: \"core\" js: \"a.js\" }\n"                     \
  "extension { name: \"preact\" esm: \"lib/a.js\" cjs: \"b.js\" }\n" \
  "extension { name: \"app\" lazy_esm: \"c.js\" }\n"

// clang-format off
INSTANTIATE_TEST_SUITE_P(
    ImportMap, ManifestProblemTest,
    ::testing::Values(
        ProblemCase{"RelativeFrom",
                    V8SNAP_IMPORT_MAP_BASE "import_map { from: \"./a\" to: \"ext:preact/a.js\" }\n",
                    Kind::kImportMap, 4, 20,
                    {"import_map { from: \"./a\" to: \"ext:preact/a.js\" }: `from` is a relative "
                     "specifier", "no './', '../' or '/' in front"}},
        ProblemCase{"ParentRelativeFrom",
                    V8SNAP_IMPORT_MAP_BASE "import_map { from: \"../a\" to: \"ext:preact/a.js\" }\n",
                    Kind::kImportMap, 4, 20, {"relative specifier"}},
        ProblemCase{"AbsoluteFrom",
                    V8SNAP_IMPORT_MAP_BASE "import_map { from: \"/opt/a.js\" to: \"ext:preact/a.js\" }\n",
                    Kind::kImportMap, 4, 20, {"`from` is an absolute path"}},
        ProblemCase{"UrlFrom",
                    V8SNAP_IMPORT_MAP_BASE
                    "import_map { from: \"https://esm.sh/preact\" to: \"ext:preact/a.js\" }\n",
                    Kind::kImportMap, 4, 20, {"`from` is a URL (scheme 'https:')"}},
        ProblemCase{"NodeSchemeFrom",
                    V8SNAP_IMPORT_MAP_BASE "import_map { from: \"node:events\" to: \"ext:preact/a.js\" }\n",
                    Kind::kImportMap, 4, 20, {"`from` is a URL (scheme 'node:')"}},
        ProblemCase{"ExtFrom",
                    V8SNAP_IMPORT_MAP_BASE
                    "import_map { from: \"ext:preact/a.js\" to: \"ext:preact/b.js\" }\n",
                    Kind::kImportMap, 4, 20, {"`from` is an \"ext:\" specifier"}},
        ProblemCase{"BuiltinFrom",
                    V8SNAP_IMPORT_MAP_BASE
                    "import_map { from: \"builtin:core/core.js\" to: \"ext:preact/a.js\" }\n",
                    Kind::kImportMap, 4, 20, {"`from` is a \"builtin:\" source path"}},
        ProblemCase{"EmptyFrom",
                    V8SNAP_IMPORT_MAP_BASE "import_map { from: \"\" to: \"ext:preact/a.js\" }\n",
                    Kind::kImportMap, 4, 20, {"`from` is missing or empty"}},
        ProblemCase{"MissingFromPointsAtTheEntry",
                    V8SNAP_IMPORT_MAP_BASE "import_map { to: \"ext:preact/a.js\" }\n",
                    Kind::kImportMap, 4, 1, {"import_map { from: \"\" to: \"ext:preact/a.js\" }"}},
        ProblemCase{"PrefixFrom",
                    V8SNAP_IMPORT_MAP_BASE "import_map { from: \"preact/\" to: \"ext:preact/a.js\" }\n",
                    Kind::kImportMap, 4, 20,
                    {"ends with '/'", "maps whole names only", "from: \"preact/hooks\""}},
        ProblemCase{"MisspelledFromIsAnUnknownFieldOnly",
                    V8SNAP_IMPORT_MAP_BASE "import_map { form: \"preact\" to: \"ext:preact/a.js\" }\n",
                    Kind::kUnknownField, 4, 14,
                    {"unknown field 'form' in an `import_map { ... }` entry", "did you mean 'from'?"}},
        ProblemCase{"DuplicateFrom",
                    V8SNAP_IMPORT_MAP_BASE
                    "import_map { from: \"preact\" to: \"ext:preact/a.js\" }\n"
                    "import_map { from: \"preact\" to: \"ext:preact/b.js\" }\n",
                    Kind::kImportMap, 5, 20,
                    {"'preact' is mapped twice: first at line 4 to 'ext:preact/a.js', again here",
                     "the runtime would use the first"}},
        ProblemCase{"RepeatedEntry",
                    V8SNAP_IMPORT_MAP_BASE
                    "import_map { from: \"preact\" to: \"ext:preact/a.js\" }\n"
                    "import_map { from: \"preact\" to: \"ext:preact/a.js\" }\n",
                    Kind::kImportMap, 5, 20, {"mapped twice", "it repeats the one above"}},
        ProblemCase{"ToAClassicScript",
                    V8SNAP_IMPORT_MAP_BASE "import_map { from: \"preact\" to: \"ext:core/a.js\" }\n",
                    Kind::kImportMap, 4, 33,
                    {"`to` names 'a.js', a classic script (js:) of extension 'core', which cannot "
                     "be imported", "esm:, lazy_esm: or cjs:"}},
        ProblemCase{"ToASourcePath",
                    V8SNAP_IMPORT_MAP_BASE "import_map { from: \"preact\" to: \"./lib/a.js\" }\n",
                    Kind::kImportMap, 4, 33,
                    {"`to` is the path of a source, not its specifier", "write to: \"ext:preact/a.js\""}},
        ProblemCase{"ToWithFolders",
                    V8SNAP_IMPORT_MAP_BASE "import_map { from: \"preact\" to: \"ext:preact/lib/a.js\" }\n",
                    Kind::kImportMap, 4, 33,
                    {"extension 'preact' has no esm, lazy_esm or cjs source named 'lib/a.js'",
                     "without folders", "did you mean 'ext:preact/a.js'?",
                     "offers: 'ext:preact/a.js', 'ext:preact/b.js'"}},
        ProblemCase{"ToMisspelledFile",
                    V8SNAP_IMPORT_MAP_BASE "import_map { from: \"preact\" to: \"ext:preact/a.mjs\" }\n",
                    Kind::kImportMap, 4, 33, {"did you mean 'ext:preact/a.js'?"}},
        ProblemCase{"ToUnknownExtension",
                    V8SNAP_IMPORT_MAP_BASE "import_map { from: \"preact\" to: \"ext:preac/a.js\" }\n",
                    Kind::kImportMap, 4, 33,
                    {"no extension is named 'preac'", "did you mean 'ext:preact/a.js'?",
                     "importable specifiers: 'ext:preact/a.js', 'ext:preact/b.js', 'ext:app/c.js'"}},
        ProblemCase{"ToAnotherBareName",
                    V8SNAP_IMPORT_MAP_BASE
                    "import_map { from: \"p\" to: \"ext:preact/a.js\" }\n"
                    "import_map { from: \"q\" to: \"p\" }\n",
                    Kind::kImportMap, 5, 28,
                    {"does not follow it further", "to: \"ext:preact/a.js\""}},
        ProblemCase{"ToAnExtensionName",
                    V8SNAP_IMPORT_MAP_BASE "import_map { from: \"x\" to: \"preact\" }\n",
                    Kind::kImportMap, 4, 28,
                    {"the name of extension 'preact'", "offers: 'ext:preact/a.js', 'ext:preact/b.js'"}},
        ProblemCase{"EmptyTo",
                    V8SNAP_IMPORT_MAP_BASE "import_map { from: \"preact\" to: \"\" }\n",
                    Kind::kImportMap, 4, 33, {"`to` is missing or empty"}}),
    [](const ::testing::TestParamInfo<ProblemCase>& info) { return info.param.test_name; });
// clang-format on

TEST_F(ManifestLoaderTest, ImportMapToModulesLazyModulesAndCommonJsLoads) {
  ManifestLoadResult result = Load(V8SNAP_IMPORT_MAP_BASE
                                   "import_map { from: \"preact\" to: \"ext:preact/a.js\" }\n"
                                   "import_map { from: \"lodash\" to: \"ext:preact/b.js\" }\n"
                                   "import_map { from: \"@scope/app\" to: \"ext:app/c.js\" }\n"
                                   "import_map { from: \"preact/hooks\" to: \"ext:preact/a.js\" }\n");
  ASSERT_TRUE(result.manifest.has_value()) << Describe(result.problems);
  EXPECT_EQ(result.manifest->manifest.import_map_size(), 4);
}

TEST_F(ManifestLoaderTest, ImportMapIsCheckedWithoutReadingSourcesAndEveryEntryIsReported) {
  ManifestCheckOptions options;
  options.read_sources = false;
  ManifestLoadResult result = Load(V8SNAP_IMPORT_MAP_BASE
                                   "import_map { from: \"./x\" to: \"ext:nope/x.js\" }\n"
                                   "import_map { from: \"ok\" to: \"ext:app/c.js\" }\n"
                                   "import_map { from: \"ok\" to: \"ext:app/c.js\" }\n",
                                   options);
  std::vector<std::pair<int, int>> seen;
  for (const ManifestProblem& p : result.problems) {
    EXPECT_EQ(p.kind, Kind::kImportMap) << p.ToString();
    seen.push_back({p.where.line, p.where.column});
  }
  EXPECT_EQ(seen, (std::vector<std::pair<int, int>>{{4, 20}, {4, 30}, {6, 20}}))
      << Describe(result.problems);
}

TEST_F(ManifestLoaderTest, LoadsSourcesInKindOrderWithSpecifiersAndPositions) {
  Write("lib/mod.js", "export const x = 1;");
  ManifestLoadResult result = Load(
      "# proto-file: format/manifest.proto\n"
      "name: \"t\"\n"
      "extension {\n"
      "  name: \"web\"\n"
      "  lazy_esm: \"c.js\"\n"
      "  esm: \"lib/mod.js\"\n"
      "  js: [\"a.js\", \"b.js\"]\n"
      "  enabled: false\n"
      "}\n");
  ASSERT_TRUE(result.manifest.has_value()) << Describe(result.problems);
  ASSERT_EQ(result.manifest->extensions.size(), 1u);
  const LoadedExtension& web = result.manifest->extensions[0];
  EXPECT_EQ(web.name, "web");
  EXPECT_FALSE(web.enabled);
  EXPECT_EQ(web.where.line, 3);
  EXPECT_EQ(web.where.column, 1);
  ASSERT_EQ(web.sources.size(), 4u);
  struct Expected {
    SourceRecord_Kind kind;
    const char* path;
    const char* specifier;
    int line, column;
  };
  const Expected expected[] = {{SourceRecord::CLASSIC, "a.js", "", 7, 8},
                               {SourceRecord::CLASSIC, "b.js", "", 7, 16},
                               {SourceRecord::ESM, "lib/mod.js", "ext:web/mod.js", 6, 8},
                               {SourceRecord::LAZY_ESM, "c.js", "ext:web/c.js", 5, 13}};
  for (size_t i = 0; i < 4; ++i) {
    SCOPED_TRACE(i);
    const LoadedSource& s = web.sources[i];
    EXPECT_EQ(s.kind, expected[i].kind);
    EXPECT_EQ(s.path, expected[i].path);
    EXPECT_EQ(s.resolved_path, dir_ + "/" + expected[i].path);
    EXPECT_EQ(s.specifier, expected[i].specifier);
    EXPECT_EQ(s.where.line, expected[i].line);
    EXPECT_EQ(s.where.column, expected[i].column);
  }
  EXPECT_EQ(web.sources[2].contents, "export const x = 1;");
  EXPECT_EQ(result.manifest->manifest.name(), "t");
  EXPECT_EQ(result.manifest->digest.size(), 32u);
}

TEST_F(ManifestLoaderTest, EnabledDefaultsToTrue) {
  ManifestLoadResult result = Load("extension { name: \"a\" js: \"a.js\" }\n");
  ASSERT_TRUE(result.manifest.has_value()) << Describe(result.problems);
  EXPECT_TRUE(result.manifest->extensions[0].enabled);
}

TEST_F(ManifestLoaderTest, MissingSourceIsReportedAtThePathString) {
  ManifestLoadResult result =
      Load("extension {\n  name: \"a\"\n  js: \"a.js\"\n  esm: \"gone/missing.js\"\n}\n");
  ASSERT_EQ(result.problems.size(), 1u) << Describe(result.problems);
  const ManifestProblem& p = result.problems[0];
  EXPECT_EQ(p.kind, Kind::kMissingSource);
  EXPECT_EQ(p.where.line, 4);
  EXPECT_EQ(p.where.column, 8);
  EXPECT_NE(p.message.find("'gone/missing.js' of extension 'a' cannot be read"), std::string::npos)
      << p.ToString();
  EXPECT_NE(p.fix.find(dir_ + "/gone/missing.js"), std::string::npos) << p.ToString();
}

// Loads `text` as manifest_path_ in a child process that cannot read files it has no
// permission for: as root, the child drops to user nobody (root reads any file); otherwise it
// runs as is. Returns the problems' text, or nullopt when dropping privileges failed.
std::optional<std::string> LoadWithoutPrivileges(const std::string& path, const std::string& text) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return std::nullopt;
  pid_t child = fork();
  if (child == 0) {
    close(pipe_fds[0]);
    if (getuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) _exit(3);
    std::string out = Describe(LoadManifestFromText(path, text, {}).problems);
    ssize_t written = write(pipe_fds[1], out.data(), out.size());
    _exit(written == static_cast<ssize_t>(out.size()) ? 0 : 4);
  }
  close(pipe_fds[1]);
  std::string out;
  char buffer[4096];
  for (ssize_t n; (n = read(pipe_fds[0], buffer, sizeof buffer)) > 0;) out.append(buffer, n);
  close(pipe_fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  return out;
}

TEST_F(ManifestLoaderTest, UnreadableSourceSaysToMakeItReadable) {
  // mkdtemp made the folder 0700: let user nobody in, but not into a.js.
  ASSERT_EQ(chmod(dir_.c_str(), 0755), 0);
  ASSERT_EQ(chmod((dir_ + "/a.js").c_str(), 0), 0);
  std::optional<std::string> problems =
      LoadWithoutPrivileges(manifest_path_, "extension { name: \"a\" js: \"a.js\" }\n");
  if (!problems.has_value()) GTEST_SKIP() << "cannot drop privileges to user nobody here";
  EXPECT_NE(problems->find("'a.js' of extension 'a' cannot be read"), std::string::npos)
      << *problems;
  EXPECT_NE(problems->find("Permission denied"), std::string::npos) << *problems;
  EXPECT_NE(problems->find("fix: make it readable by the user running the build (for example "
                           "chmod a+r '" +
                           dir_ + "/a.js'"),
            std::string::npos)
      << *problems;
  EXPECT_EQ(problems->find("create the file"), std::string::npos) << *problems;
}

TEST_F(ManifestLoaderTest, DirectorySourceIsReportedAsADirectory) {
  ManifestLoadResult result = Load("extension { name: \"a\" js: \"lib\" }\n");
  ASSERT_EQ(result.problems.size(), 1u) << Describe(result.problems);
  EXPECT_EQ(result.problems[0].kind, Kind::kMissingSource);
  EXPECT_EQ(result.problems[0].where.column, 27);
  EXPECT_NE(result.problems[0].message.find("is a directory"), std::string::npos)
      << result.problems[0].ToString();
  EXPECT_NE(result.problems[0].fix.find("point the path at a regular file"), std::string::npos)
      << result.problems[0].ToString();
}

TEST_F(ManifestLoaderTest, WithoutReadingSourcesNothingIsOpenedOrHashed) {
  ManifestCheckOptions options;
  options.read_sources = false;
  ManifestLoadResult result = Load("extension { name: \"a\" js: \"missing.js\" }\n", options);
  ASSERT_TRUE(result.manifest.has_value()) << Describe(result.problems);
  EXPECT_EQ(result.manifest->extensions[0].sources[0].contents, "");
  EXPECT_EQ(result.manifest->digest, "");
}

TEST_F(ManifestLoaderTest, SourcelessExtensionMustBeNative) {
  const std::string text =
      "extension { name: \"core\" }\n"
      "extension { name: \"fs\" deps: \"core\" }\n";
  ManifestCheckOptions options;
  options.native_extensions = std::vector<std::string>{"net", "core", "fetch"};
  ManifestLoadResult result = Load(text, options);
  ASSERT_EQ(result.problems.size(), 1u) << Describe(result.problems);
  const ManifestProblem& p = result.problems[0];
  EXPECT_EQ(p.kind, Kind::kUnknownNativeExtension);
  EXPECT_EQ(p.where.line, 2);
  EXPECT_EQ(p.where.column, 19);
  EXPECT_NE(p.message.find("'fs' has no sources"), std::string::npos) << p.ToString();
  EXPECT_NE(p.fix.find("native extensions in this binary: 'core', 'fetch', 'net'"),
            std::string::npos)
      << p.ToString();

  options.native_extensions = std::vector<std::string>{"core", "fs"};
  EXPECT_TRUE(Load(text, options).problems.empty());
  EXPECT_TRUE(Load(text).problems.empty()) << "no registry given: the check is skipped";
}

TEST_F(ManifestLoaderTest, CollectsEveryProblemSortedByPosition) {
  ManifestLoadResult result = Load(
      "extension { name: \"a\" deps: \"later\" js: \"a.js\" }\n"       // 1: dependency after
      "extension { name: \"b\" deps: \"nope\" js: \"b.js\" }\n"        // 2: unknown dependency
      "extension { name: \"a\" js: \"c.js\" }\n"                       // 3: duplicate
      "extension { name: \"later\" js: \"missing.js\" bogus: 1 }\n");  // 4: missing, unknown field
  std::vector<std::pair<Kind, int>> seen;
  for (const ManifestProblem& p : result.problems) seen.push_back({p.kind, p.where.line});
  const std::vector<std::pair<Kind, int>> expected = {{Kind::kDependencyAfterDependent, 1},
                                                      {Kind::kUnknownDependency, 2},
                                                      {Kind::kDuplicateExtension, 3},
                                                      {Kind::kMissingSource, 4},
                                                      {Kind::kUnknownField, 4}};
  EXPECT_EQ(seen, expected) << Describe(result.problems);
  EXPECT_FALSE(result.manifest.has_value());
}

// The order suggested after "move X before Y" names each extension once, and gives no place to
// one that cannot have one (here 'c' depends on itself), even with a duplicate declaration.
TEST_F(ManifestLoaderTest, SuggestedOrderListsEachExtensionOnceAndNoCycleMember) {
  ManifestLoadResult result = Load(
      "extension { name: \"a\" deps: \"core\" js: \"a.js\" }\n"
      "extension { name: \"core\" js: \"b.js\" }\n"
      "extension { name: \"a\" js: \"c.js\" }\n"
      "extension { name: \"c\" deps: \"c\" js: \"c.js\" }\n");
  std::string text = Describe(result.problems);
  EXPECT_NE(text.find("An order for the extensions outside the dependency cycle: core, a; 'c' "
                      "has no valid place until the dependency cycle is broken"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("core, a, a"), std::string::npos) << text;
  EXPECT_EQ(text.find("satisfies every dependency"), std::string::npos) << text;
}

TEST_F(ManifestLoaderTest, ColumnsCountBytesAfterTabs) {
  ManifestLoadResult result =
      Load("extension {\n\tname: \"a\"\n\tdeps: \"zzz\"\n\tjs: \"a.js\"\n}\n");
  ASSERT_EQ(result.problems.size(), 1u) << Describe(result.problems);
  EXPECT_EQ(result.problems[0].where.line, 3);
  EXPECT_EQ(result.problems[0].where.column, 8);
}

TEST_F(ManifestLoaderTest, DigestCoversManifestAndSources) {
  const std::string text = "extension { name: \"a\" js: \"a.js\" }\n";
  std::string first = Load(text).manifest->digest;
  EXPECT_EQ(Load(text).manifest->digest, first);
  Write("a.js", "// changed");
  std::string changed_source = Load(text).manifest->digest;
  EXPECT_NE(changed_source, first);
  EXPECT_NE(Load(text + "# comment\n").manifest->digest, changed_source);
}

TEST_F(ManifestLoaderTest, FromTextResolvesSourcesAgainstTheGivenPath) {
  ManifestLoadResult result = LoadManifestFromText(dir_ + "/not-on-disk.textproto",
                                                   "extension { name: \"a\" js: \"a.js\" }\n", {});
  ASSERT_TRUE(result.manifest.has_value()) << Describe(result.problems);
  EXPECT_EQ(result.manifest->extensions[0].sources[0].contents, "// a.js");
  EXPECT_EQ(result.manifest->path, dir_ + "/not-on-disk.textproto");
}

TEST_F(ManifestLoaderTest, UnreadableManifestIsAFileLevelProblem) {
  ManifestLoadResult result = LoadManifest(dir_ + "/absent.textproto", {});
  ASSERT_EQ(result.problems.size(), 1u);
  EXPECT_EQ(result.problems[0].where.line, 0);
  EXPECT_EQ(result.problems[0].ToString().rfind(dir_ + "/absent.textproto: error: cannot read", 0),
            0u)
      << result.problems[0].ToString();
}

TEST_F(ManifestLoaderTest, OrErrorKeepsNotFoundAndJoinsProblems) {
  absl::StatusOr<LoadedManifest> missing = LoadManifestOrError(dir_ + "/absent.textproto", {});
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);

  Write("m.textproto",
        "extension { name: \"a\" deps: \"x\" js: \"a.js\" }\n"
        "extension { name: \"a\" js: \"b.js\" }\n");
  absl::StatusOr<LoadedManifest> bad = LoadManifestOrError(manifest_path_, {});
  ASSERT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  const std::string expected_start = manifest_path_ + ":1:29: error: extension 'a' depends on 'x'";
  EXPECT_EQ(std::string(bad.status().message()).rfind(expected_start, 0), 0u) << bad.status();
  EXPECT_NE(bad.status().message().find("\n" + manifest_path_ +
                                        ":2:19: error: extension 'a' is "
                                        "declared twice"),
            std::string::npos)
      << bad.status();

  Write("m.textproto", "extension { name: \"a\" js: \"a.js\" }\n");
  EXPECT_TRUE(LoadManifestOrError(manifest_path_, {}).ok());
}

TEST(ManifestProblemToString, HasOneFormat) {
  ManifestProblem p{Kind::kCycle, {"m.textproto", 3, 7}, "dependency cycle: a -> a", "remove it"};
  EXPECT_EQ(p.ToString(), "m.textproto:3:7: error: dependency cycle: a -> a\n  fix: remove it");
}

TEST(CheckedInManifest, ExampleFromTheDocsLoads) {
  ManifestCheckOptions options;
  options.native_extensions = std::vector<std::string>{"core"};
  absl::StatusOr<LoadedManifest> loaded =
      LoadManifestOrError(V8SNAP_MANIFEST_TESTDATA "/example/example.textproto", options);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_EQ(loaded->extensions.size(), 2u);
  EXPECT_TRUE(loaded->extensions[0].sources.empty());
  std::vector<std::string> specifiers;
  for (const LoadedSource& s : loaded->extensions[1].sources) specifiers.push_back(s.specifier);
  EXPECT_EQ(specifiers,
            (std::vector<std::string>{"", "ext:timers/timers.js", "ext:timers/legacy.js"}));
}

TEST(FindExtensionBlocks, GivesByteSpansOfEachBlock) {
  const std::string text =
      "name: \"x\"\n\textension { name: \"a\" }\nextension <\n name: \"b\"\n>\n";
  absl::StatusOr<std::vector<ExtensionBlockSpan>> spans = FindExtensionBlocks(text);
  ASSERT_TRUE(spans.ok()) << spans.status();
  ASSERT_EQ(spans->size(), 2u);
  EXPECT_EQ(text.substr((*spans)[0].begin, (*spans)[0].end - (*spans)[0].begin),
            "extension { name: \"a\" }");
  EXPECT_EQ(text.substr((*spans)[1].begin, (*spans)[1].end - (*spans)[1].begin),
            "extension <\n name: \"b\"\n>");
  EXPECT_EQ((*spans)[1].name, "b");
  EXPECT_EQ(FindExtensionBlocks("extension {").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace v8snap
