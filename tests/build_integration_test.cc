// Build integration as an embedder meets it: tools/install.sh installs v8snap into a temporary
// prefix (and again, changing nothing); programs are compiled against it with pkg-config, with
// CMake through pkg-config and through find_package (examples/cmake, built and tested with
// ctest); embed_manifest.py is run as a build runs it; and a GN project of its own, with a
// builder linked from the installed libraries, builds its snapshot through the installed
// v8_snapshot template while ninja is driven touch by touch.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

ToolResult Shell(const std::string& command, const std::string& cwd = "") {
  return RunTool("/bin/sh", {"-c", command}, cwd);
}

std::string Quoted(const std::string& s) { return "'" + s + "'"; }

// In sanitizer builds the installed libraries are instrumented: whatever links them needs the
// same runtime (V8SNAP_SANITIZER_FLAGS is set by tests/BUILD.gn).
constexpr char kSanitizerFlags[] = V8SNAP_SANITIZER_FLAGS;

// "g++ " plus the sanitizer flags of this build.
std::string Gxx() { return std::string("g++ ") + kSanitizerFlags + " "; }

std::string BinDir() {
  std::string dir = ToolPath("");
  dir.pop_back();
  return dir;
}

// The V8 library this build's tools load, by SONAME ("libnode.so.108" for V8 10.2,
// "libnode.so.137" for 13.6): what the installation must carry and what programs linked against
// it need.
const std::string& V8Soname() {
  static const std::string soname = [] {
    ToolResult dynamic = Shell("readelf -d " + Quoted(ToolPath("snapshot_run")));
    std::smatch match;
    if (std::regex_search(dynamic.out, match, std::regex(R"(\[(libnode\.so\.[0-9]+)\])"))) {
      return match[1].str();
    }
    return std::string("(snapshot_run needs no libnode.so.N)");
  }();
  return soname;
}

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

// Sets a file's modification time to now, like touch(1).
void Touch(const std::string& path) {
  ASSERT_EQ(utimensat(AT_FDCWD, path.c_str(), nullptr, 0), 0) << path;
}

// One installation shared by every test of this binary (installing copies ~50 MB of libnode).
class Installation {
 public:
  static const Installation& Get() {
    static const Installation installation;  // removed at exit
    return installation;
  }
  const std::string& prefix() const { return dir_.path(); }
  const ToolResult& result() const { return result_; }
  // Environment for pkg-config to find the installed .pc files before any system-wide ones.
  std::string PkgConfigEnv() const {
    return "PKG_CONFIG_PATH=" + Quoted(prefix() + "/lib/pkgconfig") + " ";
  }

 private:
  Installation() {
    result_ = RunTool(SourcePath("tools/install.sh"), {"--out", BinDir(), "--prefix", prefix()});
  }
  TempDir dir_;
  ToolResult result_;
};

class InstallTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const ToolResult& install = Installation::Get().result();
    ASSERT_EQ(install.exit_code, 0) << install.out << install.err;
  }
  const std::string& Prefix() const { return Installation::Get().prefix(); }
  std::string PkgConfig(const std::string& args) const {
    return Installation::Get().PkgConfigEnv() + "pkg-config " + args;
  }
  TempDir tmp_;
};

// A program that uses the runtime library: loads a snapshot checked against a manifest and
// evaluates a script on it.
constexpr char kHelloProgram[] = R"(
#include <cstdio>
#include <string>

#include "format/manifest_loader.h"
#include "runtime/extension.h"
#include "runtime/js_runtime.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: hello MANIFEST SNAPSHOT SCRIPT\n");
    return 2;
  }
  v8snap::ManifestCheckOptions check;
  check.native_extensions = v8snap::ExtensionRegistry::Global().Names();
  auto manifest = v8snap::LoadManifestOrError(argv[1], check);
  if (!manifest.ok()) {
    std::fprintf(stderr, "hello: %s\n", std::string(manifest.status().message()).c_str());
    return 1;
  }
  v8snap::RuntimeConfig config;
  config.manifest = std::move(*manifest);
  config.manifest_label = argv[1];
  auto runtime = v8snap::JsRuntime::FromSnapshot(argv[2], config);
  if (!runtime.ok()) {
    std::fprintf(stderr, "hello: %s\n", std::string(runtime.status().message()).c_str());
    return 1;
  }
  auto result = (*runtime)->EvaluateScript("hello.js", argv[3]);
  if (!result.ok()) {
    std::fprintf(stderr, "hello: %s\n", std::string(result.status().message()).c_str());
    return 1;
  }
  std::printf("%s\n", result->c_str());
  return 0;
}
)";

constexpr char kHelloScript[] = "console.log('hello from', 'the snapshot'); String(6 * 7)";

// kHelloProgram compiled once with the installed headers (`pkg-config --cflags v8snap`), for
// the tests that link it in different ways. Empty path, and the compiler's output, on failure.
const ToolResult& CompileHello(std::string* object) {
  static const TempDir dir;
  static const ToolResult result = [] {
    std::string source = dir.Write("hello.cc", kHelloProgram);
    return Shell(Gxx() + "-c -o " + Quoted(dir.path() + "/hello.o") + " " + Quoted(source) + " $(" +
                 Installation::Get().PkgConfigEnv() + "pkg-config --cflags v8snap)");
  }();
  *object = result.exit_code == 0 ? dir.path() + "/hello.o" : "";
  return result;
}

TEST_F(InstallTest, InstallsToolsLibrariesHeadersAndPkgConfigFiles) {
  for (const char* file : {"bin/snapshot_builder",
                           "bin/snapshot_run",
                           "lib/libv8snap_runtime.a",
                           "lib/libv8snap_builder.a",
                           "lib/libv8snap_inspect.a",
                           "lib/libv8snap_extensions.a",
                           "lib/libnode.so",
                           "lib/pkgconfig/v8snap.pc",
                           "lib/pkgconfig/v8snap-builder.pc",
                           "lib/pkgconfig/v8snap-inspect.pc",
                           "lib/pkgconfig/v8snap-extensions.pc",
                           "lib/cmake/v8snap/v8snapConfig.cmake",
                           "lib/cmake/v8snap/v8snapConfigVersion.cmake",
                           "include/v8snap/runtime/js_runtime.h",
                           "include/v8snap/runtime/run_main.h",
                           "include/v8snap/snapshot_builder/builder_main.h",
                           "include/v8snap/snapshot_inspect/inspect_main.h",
                           "include/v8snap/format/sidecar.pb.h",
                           "include/v8snap/v8/v8-isolate.h",
                           "share/v8snap/default.bin",
                           "share/v8snap/default.bin.sidecar.pb",
                           "share/v8snap/manifests/default.textproto",
                           "share/v8snap/extensions/core/core.js",
                           "share/v8snap/gn/v8_snapshot.gni",
                           "share/v8snap/gn/run_tool.py",
                           "share/v8snap/gn/embedded_manifest.gni",
                           "share/v8snap/gn/embed_manifest.py",
                           "share/v8snap/embed_manifest.py"}) {
    EXPECT_TRUE(Exists(Prefix() + "/" + file)) << file;
  }
  // The V8 the build linked, under the name the tools and programs load it by.
  EXPECT_TRUE(Exists(Prefix() + "/lib/" + V8Soname())) << V8Soname();
  EXPECT_EQ(Shell("readlink " + Quoted(Prefix() + "/lib/libnode.so")).out, V8Soname() + "\n");
  ToolResult version = Shell(PkgConfig("--modversion v8snap"));
  EXPECT_EQ(version.exit_code, 0) << version.err;
  EXPECT_EQ(version.out, "0.1.0\n");
  // What a build outside this tree needs to find, through pkg-config alone.
  for (const auto& [variable, path] : std::vector<std::pair<std::string, std::string>>{
           {"datadir", "/share/v8snap"},
           {"embed_manifest", "/share/v8snap/gn/embed_manifest.py"},
           {"builtin_dir", "/share/v8snap/extensions"},
           {"default_snapshot", "/share/v8snap/default.bin"}}) {
    ToolResult value = Shell(PkgConfig("--variable=" + variable + " v8snap"));
    EXPECT_EQ(value.out, Prefix() + path + "\n") << variable;
    EXPECT_TRUE(Exists(Prefix() + path)) << variable;
  }
  // The C++ standard the build's V8 headers need (c++17 for V8 10.2, c++20 for 13.6).
  EXPECT_THAT(Shell(PkgConfig("--variable=cxx_standard v8snap")).out,
              ::testing::MatchesRegex("c\\+\\+[0-9]+\n"));
}

TEST_F(InstallTest, LibrariesDoNotShareObjects) {
  // Members of the builder and extensions archives must not repeat the runtime's: a duplicate
  // pulled in by --whole-archive would be a duplicate-symbol error at link time.
  ToolResult runtime = Shell("ar t " + Quoted(Prefix() + "/lib/libv8snap_runtime.a"));
  ToolResult extensions = Shell("ar t " + Quoted(Prefix() + "/lib/libv8snap_extensions.a"));
  ToolResult builder = Shell("ar t " + Quoted(Prefix() + "/lib/libv8snap_builder.a"));
  ASSERT_EQ(runtime.exit_code, 0) << runtime.err;
  EXPECT_THAT(runtime.out, HasSubstr("js_runtime.o"));
  EXPECT_THAT(extensions.out, HasSubstr("core_ops.o"));
  EXPECT_THAT(extensions.out, Not(HasSubstr("extension_registry.o")));
  EXPECT_THAT(builder.out, HasSubstr("snapshot_builder.o"));
  EXPECT_THAT(builder.out, Not(HasSubstr("js_runtime.o")));
}

TEST_F(InstallTest, PkgConfigProgramLoadsTheInstalledSnapshotAndRunsAScript) {
  std::string object;
  ASSERT_EQ(CompileHello(&object).exit_code, 0) << CompileHello(&object).err;
  std::string binary = tmp_.path() + "/hello";
  ToolResult link = Shell(Gxx() + "-o " + Quoted(binary) + " " + Quoted(object) + " $(" +
                          PkgConfig("--libs v8snap-extensions v8snap") + ")");
  ASSERT_EQ(link.exit_code, 0) << link.err;
  ToolResult run = RunTool(binary, {Prefix() + "/share/v8snap/manifests/default.textproto",
                                    Prefix() + "/share/v8snap/default.bin", kHelloScript});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "hello from the snapshot\n42\n");
}

TEST_F(InstallTest, ExtensionsLinkedWithoutWholeArchiveAreMissingAndTheSnapshotIsRefused) {
  // What v8snap-extensions.pc's --whole-archive is for: with a plain -l, no extension object is
  // referenced, none is linked, and the runtime's layout has no ops. The check catches it.
  std::string object;
  ASSERT_EQ(CompileHello(&object).exit_code, 0) << CompileHello(&object).err;
  std::string binary = tmp_.path() + "/hello_plain";
  ToolResult link = Shell(Gxx() + "-o " + Quoted(binary) + " " + Quoted(object) + " -L" +
                          Quoted(Prefix() + "/lib") + " -lv8snap_extensions $(" +
                          PkgConfig("--libs v8snap") + ")");
  ASSERT_EQ(link.exit_code, 0) << link.err;
  ToolResult run = RunTool(binary, {Prefix() + "/share/v8snap/manifests/default.textproto",
                                    Prefix() + "/share/v8snap/default.bin", kHelloScript});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_THAT(run.err, HasSubstr("does not match this runtime's extensions"));
}

TEST_F(InstallTest, InstalledToolsRebuildTheInstalledSnapshotByteForByte) {
  // The installed manifest and sources are complete, and the installed builder reproduces the
  // installed snapshot exactly; the installed runtime runs a script on it.
  std::string snap = tmp_.path() + "/default.bin";
  ToolResult build = RunTool(
      Prefix() + "/bin/snapshot_builder",
      {"--manifest", Prefix() + "/share/v8snap/manifests/default.textproto", "--out", snap});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  EXPECT_TRUE(ReadFile(snap) == ReadFile(Prefix() + "/share/v8snap/default.bin"))
      << "the installed builder made another blob from the installed manifest";
  std::string script = tmp_.Write("main.js", "console.log('installed', 1 + 1);");
  ToolResult run = RunTool(Prefix() + "/bin/snapshot_run",
                           {"--snapshot", Prefix() + "/share/v8snap/default.bin", script});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "installed 2\n");
}

TEST_F(InstallTest, CMakeProjectLinksTheRuntimeThroughPkgConfig) {
  if (Shell("command -v cmake").exit_code != 0) {
    GTEST_SKIP() << "cmake is not installed (apt-get install cmake)";
  }
  tmp_.Write("src/hello.cc", kHelloProgram);
  tmp_.Write("src/CMakeLists.txt", R"(cmake_minimum_required(VERSION 3.16)
project(hello_v8snap CXX)
find_package(PkgConfig REQUIRED)
pkg_check_modules(V8SNAP REQUIRED IMPORTED_TARGET v8snap-extensions v8snap)
add_executable(hello hello.cc)
target_link_libraries(hello PRIVATE PkgConfig::V8SNAP)
)");
  std::string env = Installation::Get().PkgConfigEnv();
  ToolResult configure =
      Shell(env + "cmake -S src -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS='" +
                kSanitizerFlags + "'",
            tmp_.path());
  ASSERT_EQ(configure.exit_code, 0) << configure.out << configure.err;
  ToolResult build = Shell("cmake --build build", tmp_.path());
  ASSERT_EQ(build.exit_code, 0) << build.out << build.err;
  ToolResult run =
      RunTool(tmp_.path() + "/build/hello", {Prefix() + "/share/v8snap/manifests/default.textproto",
                                             Prefix() + "/share/v8snap/default.bin", kHelloScript});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "hello from the snapshot\n42\n");
}

// Every installed file with its modification time (nanoseconds), one per line, sorted.
std::string Mtimes(const std::string& prefix) {
  return Shell("find " + Quoted(prefix) + " -printf '%T@ %p\n' | sort").out;
}

TEST_F(InstallTest, InstallingAnUnchangedBuildAgainRewritesNoFile) {
  // Its own prefix: the shared installation must not change under the other tests.
  TempDir prefix;
  ToolResult first =
      RunTool(SourcePath("tools/install.sh"), {"--out", BinDir(), "--prefix", prefix.path()});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const std::string before = Mtimes(prefix.path());
  ToolResult second =
      RunTool(SourcePath("tools/install.sh"), {"--out", BinDir(), "--prefix", prefix.path()});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_THAT(before, HasSubstr("/lib/libv8snap_runtime.a\n"));
  EXPECT_EQ(Mtimes(prefix.path()), before) << "a second install rewrote files";
}

// What must stay in the flags (no identical-code folding) is there; what is the embedder's
// choice (the C++ standard) is not, so a C++20 project compiles and runs against it.
TEST_F(InstallTest, PkgConfigFlagsSuitACxx20ProjectAndKeepIcfOff) {
  ToolResult cflags = Shell(PkgConfig("--cflags v8snap"));
  ASSERT_EQ(cflags.exit_code, 0) << cflags.err;
  EXPECT_THAT(cflags.out, Not(HasSubstr("-std=")));
  EXPECT_THAT(cflags.out, HasSubstr("-fno-ipa-icf"));
  std::string source = tmp_.Write("hello20.cc", kHelloProgram);
  std::string binary = tmp_.path() + "/hello20";
  ToolResult build = Shell(Gxx() + "-std=c++20 -o " + Quoted(binary) + " " + Quoted(source) +
                           " $(" + PkgConfig("--cflags --libs v8snap-extensions v8snap") + ")");
  ASSERT_EQ(build.exit_code, 0) << build.err;
  ToolResult run = RunTool(binary, {Prefix() + "/share/v8snap/manifests/default.textproto",
                                    Prefix() + "/share/v8snap/default.bin", kHelloScript});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "hello from the snapshot\n42\n");
}

// Abseil, protobuf and xxHash are inside libv8snap_runtime.a, as they are inside the tools.
TEST_F(InstallTest, ProgramsLinkedAgainstTheRuntimeNeedNoAbseilOrProtobufLibraries) {
  std::string object;
  ASSERT_EQ(CompileHello(&object).exit_code, 0) << CompileHello(&object).err;
  std::string binary = tmp_.path() + "/hello_static";
  ToolResult link = Shell(Gxx() + "-o " + Quoted(binary) + " " + Quoted(object) + " $(" +
                          PkgConfig("--libs v8snap-extensions v8snap") + ")");
  ASSERT_EQ(link.exit_code, 0) << link.err;
  ToolResult needed = Shell("readelf -d " + Quoted(binary));
  ASSERT_EQ(needed.exit_code, 0) << needed.err;
  EXPECT_THAT(needed.out, HasSubstr("[" + V8Soname() + "]"));
  EXPECT_THAT(needed.out, Not(HasSubstr("libabsl")));
  EXPECT_THAT(needed.out, Not(HasSubstr("libprotobuf")));
  EXPECT_THAT(needed.out, Not(HasSubstr("libxxhash")));
}

TEST_F(InstallTest, InstalledEmbeddedManifestTemplateFindsItsScriptBesideItself) {
  std::string gni = ReadFile(Prefix() + "/share/v8snap/gn/embedded_manifest.gni");
  EXPECT_THAT(gni, Not(HasSubstr("//tools/")));
  EXPECT_THAT(gni, HasSubstr("get_path_info(\"embed_manifest.py\", \"abspath\")"));
}

// embed_manifest.py as a build runs it: output rewritten only when it changes, no depfile
// needed, and an invalid manifest refused by the real loader before anything is written.
TEST_F(InstallTest, EmbedManifestWritesOnlyChangesAndRefusesAnInvalidManifest) {
  const std::string script = Prefix() + "/share/v8snap/gn/embed_manifest.py";
  const std::string inspector = Prefix() + "/bin/snapshot_inspect";
  std::string manifest = tmp_.Write("app.textproto",
                                    "extension { name: \"core\" js: \"builtin:core/core.js\" }\n"
                                    "extension { name: \"app\" deps: \"core\" js: \"app.js\" }\n");
  tmp_.Write("app.js", "globalThis.app = 1;\n");
  const std::string out = tmp_.path() + "/gen/app_manifest.cc";
  auto embed = [&](const std::string& manifest_path) {
    return Shell("python3 " + Quoted(script) + " --manifest " + Quoted(manifest_path) + " --out " +
                 Quoted(out) + " --check-with " + Quoted(inspector));
  };

  ToolResult first = embed(manifest);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(ReadFile(out), HasSubstr("{\"builtin:core/core.js\", "));
  EXPECT_THAT(ReadFile(out), Not(HasSubstr(Prefix())));
  const std::string written = Mtimes(out);
  Touch(tmp_.path() + "/app.js");
  ASSERT_EQ(embed(manifest).exit_code, 0);
  EXPECT_EQ(Mtimes(out), written) << "unchanged output was rewritten";
  tmp_.Write("app.js", "globalThis.app = 2;\n");
  ASSERT_EQ(embed(manifest).exit_code, 0);
  EXPECT_NE(Mtimes(out), written) << "changed output was not written";

  std::string broken =
      tmp_.Write("broken.textproto", "extension { name: \"app\" deps: \"nope\" js: \"app.js\" }\n");
  const std::string before = ReadFile(out);
  ToolResult refused = embed(broken);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("broken.textproto:1:"));
  EXPECT_THAT(refused.err, HasSubstr("'nope'"));
  EXPECT_THAT(refused.err, HasSubstr("is not a valid manifest for this program"));
  EXPECT_EQ(ReadFile(out), before);

  ToolResult help = Shell("python3 " + Quoted(script) + " --help");
  EXPECT_THAT(help.out, HasSubstr("--root"));
  EXPECT_THAT(help.out, HasSubstr("--depfile"));
}

// "builtin:" names v8snap's own extension sources wherever v8snap is installed; the installed
// builder finds them, and the sidecar records the name, not the machine's path.
TEST_F(InstallTest, BuiltinSourcesNeedNoPathToThePrefix) {
  std::string manifest = tmp_.Write("app.textproto",
                                    "extension { name: \"core\" js: \"builtin:core/core.js\" }\n"
                                    "extension { name: \"console\" deps: \"core\" "
                                    "esm: \"builtin:console/console.js\" }\n");
  const std::string snap = tmp_.path() + "/app.bin";
  ToolResult build =
      RunTool(Prefix() + "/bin/snapshot_builder", {"--manifest", manifest, "--out", snap});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  EXPECT_THAT(ReadFile(snap + ".sidecar.pb"), HasSubstr("builtin:console/console.js"));
  EXPECT_THAT(ReadFile(snap + ".sidecar.pb"), Not(HasSubstr(Prefix())));
  std::string script = tmp_.Write("main.js", "console.log('builtin', 2 + 2);");
  ToolResult run =
      RunTool(Prefix() + "/bin/snapshot_run", {"--snapshot", snap, "--manifest", manifest, script});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "builtin 4\n");
}

// examples/cmake exactly as its README says: configure against the prefix with find_package,
// build (its builder, runtime, inspector and app.bin), and run its ctest tests.
TEST_F(InstallTest, CMakeExampleBuildsAndPassesItsTestsAgainstThePrefix) {
  if (Shell("command -v cmake").exit_code != 0) {
    GTEST_SKIP() << "cmake is not installed (apt-get install cmake)";
  }
  const std::string build_dir = tmp_.path() + "/build";
  ToolResult configure =
      Shell("cmake -S " + Quoted(SourcePath("examples/cmake")) + " -B " + Quoted(build_dir) +
            " -DCMAKE_PREFIX_PATH=" + Quoted(Prefix()) + " -DCMAKE_BUILD_TYPE=Release" +
            " -DCMAKE_CXX_FLAGS='" + kSanitizerFlags + "'");
  ASSERT_EQ(configure.exit_code, 0) << configure.out << configure.err;
  ToolResult build = Shell("cmake --build " + Quoted(build_dir) + " -j2");
  ASSERT_EQ(build.exit_code, 0) << build.out << build.err;
  ToolResult ctest = Shell("ctest --test-dir " + Quoted(build_dir) + " --output-on-failure");
  EXPECT_EQ(ctest.exit_code, 0) << ctest.out << ctest.err;
  EXPECT_THAT(ctest.out, HasSubstr("100% tests passed"));
  EXPECT_THAT(ReadFile(build_dir + "/app.bin.sidecar.pb"), Not(HasSubstr(Prefix())));

  // The prefix is in the cache (v8snap_DIR): configuring again without it changes nothing.
  ToolResult reconfigure = Shell("cmake " + Quoted(build_dir));
  EXPECT_EQ(reconfigure.exit_code, 0) << reconfigure.out << reconfigure.err;

  // Up to date: a second build runs neither the builder nor a compiler.
  ToolResult again = Shell("cmake --build " + Quoted(build_dir));
  EXPECT_EQ(again.exit_code, 0) << again.out;
  EXPECT_THAT(again.out, Not(HasSubstr("Building snapshot")));
  EXPECT_THAT(again.out, Not(HasSubstr("Building CXX")));
}

// docs/embedding.md's snippets, each marked on the line above its fence with
// "<!-- doc-test: MODE -->", MODE being one of:
//   file NAME        the block is (part of) the file NAME, in document order;
//   file NAME, last  the same, placed after the file's other parts (a registration below its ops);
//   function         statements, compiled inside a function that returns absl::Status;
//   run              shell lines, run in a folder holding the files, /opt/v8snap being the prefix
//                    (and g++ given this build's sanitizer flags, which the libraries need).
struct DocSnippet {
  std::string mode;
  std::string lang;
  std::string code;
  int line = 0;  // of the opening fence, for messages
};

std::vector<DocSnippet> DocSnippets(const std::string& markdown) {
  std::vector<DocSnippet> snippets;
  std::istringstream in(markdown);
  std::string line, mode;
  int number = 0;
  constexpr char kMark[] = "<!-- doc-test: ";
  while (std::getline(in, line)) {
    ++number;
    if (line.rfind(kMark, 0) == 0) {
      mode = line.substr(sizeof(kMark) - 1, line.rfind(" -->") - (sizeof(kMark) - 1));
      continue;
    }
    if (line.rfind("```", 0) == 0) {  // an opening fence, with or without a language
      DocSnippet snippet{mode, line.substr(3), "", number};
      while (std::getline(in, line) && line.rfind("```", 0) != 0) {
        ++number;
        snippet.code += line + "\n";
      }
      ++number;
      snippets.push_back(std::move(snippet));
    }
    if (!line.empty()) mode.clear();  // a mark applies to the fence right below it only
  }
  return snippets;
}

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// A C++ snippet nobody compiles can rot unnoticed: every one must say how it is tested.
TEST(EmbeddingDocTest, EveryCppSnippetIsTested) {
  std::vector<DocSnippet> snippets = DocSnippets(ReadFile(SourcePath("docs/embedding.md")));
  ASSERT_FALSE(snippets.empty());
  for (const DocSnippet& snippet : snippets) {
    if (snippet.lang != "cpp") continue;
    EXPECT_FALSE(snippet.mode.empty())
        << "docs/embedding.md:" << snippet.line
        << ": a ```cpp block without a <!-- doc-test: ... --> line above it";
  }
}

// The snippets as a reader copies them: the files they make up are compiled, linked and run by
// the doc's own shell lines against the installed prefix, and each statement block compiles.
TEST_F(InstallTest, EmbeddingDocSnippetsBuildAndRunAsWritten) {
  std::vector<DocSnippet> snippets = DocSnippets(ReadFile(SourcePath("docs/embedding.md")));
  std::map<std::string, std::string> files, last_parts;
  std::vector<DocSnippet> functions, runs;
  for (const DocSnippet& snippet : snippets) {
    if (snippet.mode.rfind("file ", 0) == 0) {
      std::string name = snippet.mode.substr(5);
      const size_t comma = name.find(", last");
      if (comma != std::string::npos) {
        last_parts[name.substr(0, comma)] += snippet.code;
      } else {
        files[name] += snippet.code;
      }
    } else if (snippet.mode == "function") {
      functions.push_back(snippet);
    } else if (snippet.mode == "run") {
      runs.push_back(snippet);
    } else {
      EXPECT_TRUE(snippet.mode.empty()) << "docs/embedding.md:" << snippet.line
                                        << ": unknown doc-test mode '" << snippet.mode << "'";
    }
  }
  for (const auto& [name, code] : last_parts) files[name] += code;
  for (const auto& [name, code] : files) tmp_.Write(name, code);
  ASSERT_EQ(runs.size(), 1u) << "expected one <!-- doc-test: run --> block";

  const std::string cflags = "$(" + PkgConfig("--cflags v8snap") + ")";
  for (size_t i = 0; i < functions.size(); ++i) {
    const DocSnippet& f = functions[i];
    std::string source = tmp_.Write("function" + std::to_string(i) + ".cc", R"(
#include <string>

#include "format/manifest_loader.h"
#include "format/status_macros.h"
#include "runtime/embedded_manifest.h"
#include "runtime/extension.h"
#include "runtime/js_runtime.h"
#include "runtime/verified_snapshot_pair.h"

absl::Status Snippet(int workers, v8snap::RuntimeConfig config) {
  {
)" + f.code + R"(  }
  return absl::OkStatus();
}
)");
    ToolResult compile = Shell(Gxx() + "-fsyntax-only " + Quoted(source) + " " + cflags);
    EXPECT_EQ(compile.exit_code, 0)
        << "docs/embedding.md:" << f.line << ": the snippet does not compile\n"
        << compile.err;
  }

  ToolResult run = Shell(
      "set -e\n" + ReplaceAll(ReplaceAll(runs[0].code, "/opt/v8snap", Prefix()), "g++ ", Gxx()),
      tmp_.path());
  EXPECT_EQ(run.exit_code, 0) << "docs/embedding.md:" << runs[0].line << ": the shell lines fail\n"
                              << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("result: ok"));
  EXPECT_THAT(run.out, HasSubstr("Hello, docs!\nHello, async!\n"));
}

// A GN project of an embedder's own, outside this tree: a builder binary compiled from a
// one-line main and linked from the installed libraries (pkg-config), its snapshot built by the
// installed v8_snapshot.gni, copied into the project as the template's header asks. Built once;
// each test starts from an up-to-date build, changes one thing and checks what ninja does.
class GnTemplateTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const Installation& installation = Installation::Get();
    if (installation.result().exit_code != 0) return;  // SetUp reports it
    project_ = new TempDir();
    const TempDir& p = *project_;
    auto flags = [&](const std::string& args) {
      ToolResult r = Shell(installation.PkgConfigEnv() + "pkg-config " + args);
      std::string list;
      std::istringstream words(std::string(kSanitizerFlags) + " " + r.out);
      for (std::string word; words >> word;) list += "\"" + word + "\", ";
      return "[ " + list + "]";
    };
    p.Write(".gn", "buildconfig = \"//build/BUILDCONFIG.gn\"\nscript_executable = \"python3\"\n");
    p.Write("build/BUILDCONFIG.gn", "set_default_toolchain(\"//build:gcc\")\n");
    // Libraries after the objects: static archives only resolve what was already referenced.
    p.Write("build/BUILD.gn", R"(toolchain("gcc") {
  tool("cxx") {
    depfile = "{{output}}.d"
    command = "g++ -MMD -MF $depfile {{include_dirs}} {{cflags}} {{cflags_cc}} -c {{source}} -o {{output}}"
    depsformat = "gcc"
    description = "CXX {{output}}"
    outputs = [ "{{source_out_dir}}/{{target_output_name}}.{{source_name_part}}.o" ]
  }
  tool("link") {
    outfile = "{{output_dir}}/{{target_output_name}}{{output_extension}}"
    command = "g++ -o $outfile {{inputs}} {{ldflags}}"
    description = "LINK $outfile"
    default_output_dir = "{{root_out_dir}}"
    outputs = [ outfile ]
  }
  tool("stamp") {
    command = "touch {{output}}"
    description = "STAMP {{output}}"
  }
}
)");
    for (const char* file :
         {"v8_snapshot.gni", "run_tool.py", "embedded_manifest.gni", "embed_manifest.py"}) {
      p.Write(std::string("third_party/v8snap/") + file,
              ReadFile(installation.prefix() + "/share/v8snap/gn/" + file));
    }
    p.Write("BUILD.gn",
            "import(\"//third_party/v8snap/v8_snapshot.gni\")\n\n"
            "executable(\"app_builder\") {\n"
            "  sources = [ \"app_builder.cc\" ]\n"
            "  cflags = " +
                flags("--cflags v8snap-builder") +
                "\n"
                "  ldflags = " +
                flags("--libs v8snap-extensions v8snap-builder") +
                "\n"
                "}\n\n"
                "v8_snapshot(\"app_snapshot\") {\n"
                "  manifest = \"snapshot/app.textproto\"\n"
                "  builder = \":app_builder\"\n"
                "  output = \"$root_out_dir/app.bin\"\n"
                "}\n\n"
                // The installed embedded_manifest template: the runtime's compiled-in manifest.
                "import(\"//third_party/v8snap/embedded_manifest.gni\")\n"
                "config(\"v8snap_config\") {\n"
                "  cflags = " +
                flags("--cflags v8snap") +
                "\n"
                "}\n"
                "group(\"v8snap\") {\n"
                "  public_configs = [ \":v8snap_config\" ]\n"
                "}\n"
                "embedded_manifest(\"app_manifest\") {\n"
                "  manifest = \"runtime/app.textproto\"\n"
                "  runtime = \":v8snap\"\n"
                "  builtin_root = \"" +
                installation.prefix() +
                "/share/v8snap/extensions\"\n"
                "}\n"
                "executable(\"app_run\") {\n"
                "  sources = [ \"app_run.cc\" ]\n"
                "  deps = [ \":app_manifest\", \":v8snap\" ]\n"
                "  ldflags = " +
                flags("--libs v8snap-extensions v8snap") +
                "\n"
                "}\n");
    p.Write("app_run.cc",
            "#include \"runtime/run_main.h\"\n"
            "int main(int argc, char** argv) { return v8snap::RunRuntimeMain(argc, argv, "
            "\"app_run\", \"app_builder\"); }\n");
    p.Write("app_builder.cc",
            "#include \"snapshot_builder/builder_main.h\"\n"
            "int main(int argc, char** argv) { return v8snap::RunBuilderMain(argc, argv, "
            "\"app_builder\"); }\n");
    p.Write("runtime/app.textproto",
            "extension { name: \"core\" js: \"builtin:core/core.js\" }\n"
            "extension { name: \"console\" deps: \"core\" esm: \"builtin:console/console.js\" }\n"
            "extension { name: \"hello\" deps: \"console\" esm: \"hello.js\" }\n");
    p.Write("runtime/hello.js", "export const message = 'hello from the embedded manifest';\n");
    p.Write("snapshot/app.textproto", kManifest);
    p.Write("snapshot/greeting.js", kGreeting);
    p.Write("snapshot/app.js", "export const message = globalThis.greeting + ', app';\n");
    p.Write("snapshot/notes.js", "// Next to the sources, but named by no manifest.\n");
    gn_gen_ = new ToolResult(Shell("gn gen out", p.path()));
  }
  static void TearDownTestSuite() {
    delete project_;
    project_ = nullptr;
    delete gn_gen_;
    gn_gen_ = nullptr;
  }

  void SetUp() override {
    const ToolResult& install = Installation::Get().result();
    ASSERT_EQ(install.exit_code, 0) << install.out << install.err;
    ASSERT_EQ(gn_gen_->exit_code, 0) << gn_gen_->out << gn_gen_->err;
    ToolResult build = Ninja();
    ASSERT_EQ(build.exit_code, 0) << build.out << build.err;
    ASSERT_TRUE(Exists(Path("out/app.bin")) && Exists(Path("out/app.bin.sidecar.pb")));
  }

  static std::string Path(const std::string& relative) { return project_->path() + "/" + relative; }
  static ToolResult Ninja() { return Shell("ninja -C out", project_->path()); }
  static void Write(const std::string& relative, const std::string& contents) {
    project_->Write(relative, contents);
  }
  static bool SnapshotRebuilt(const ToolResult& ninja) {
    return ninja.out.find("ACTION //:app_snapshot") != std::string::npos;
  }

  static constexpr char kManifest[] = R"(name: "app"
extension {
  name: "greeting"
  js: "greeting.js"
}
extension {
  name: "app"
  deps: "greeting"
  esm: "app.js"
}
)";
  static constexpr char kGreeting[] = "globalThis.greeting = 'hello';\n";
  static constexpr char kNoWork[] = "ninja: no work to do.";

  static TempDir* project_;
  static ToolResult* gn_gen_;
};

TempDir* GnTemplateTest::project_ = nullptr;
ToolResult* GnTemplateTest::gn_gen_ = nullptr;

// app_run has its manifest compiled in through the installed embedded_manifest.gni, with
// "builtin:" sources, from a manifest in a folder below the root: it runs from those copies.
TEST_F(GnTemplateTest, InstalledEmbeddedManifestTemplateBuildsTheRuntime) {
  Write("main.js", "import { message } from 'ext:hello/hello.js';\nconsole.log(message);\n");
  ToolResult run = RunTool(Path("out/app_run"), {"--no-snapshot", Path("main.js")});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "hello from the embedded manifest\n");
  EXPECT_THAT(ReadFile(Path("out/gen/app_manifest.cc")), HasSubstr("{\"builtin:core/core.js\", "));
}

TEST_F(GnTemplateTest, UpToDateBuildDoesNothing) {
  ToolResult ninja = Ninja();
  EXPECT_EQ(ninja.exit_code, 0);
  EXPECT_THAT(ninja.out, HasSubstr(kNoWork));
}

TEST_F(GnTemplateTest, TouchingAJsSourceRebuildsTheSnapshotOnce) {
  std::string blob = ReadFile(Path("out/app.bin"));
  Touch(Path("snapshot/greeting.js"));
  ToolResult ninja = Ninja();
  EXPECT_EQ(ninja.exit_code, 0) << ninja.out;
  EXPECT_TRUE(SnapshotRebuilt(ninja)) << ninja.out;
  EXPECT_THAT(ninja.out, Not(HasSubstr("LINK"))) << "only the snapshot depends on the JS";
  EXPECT_TRUE(ReadFile(Path("out/app.bin")) == blob) << "same inputs must give the same blob";
  EXPECT_THAT(Ninja().out, HasSubstr(kNoWork));
}

TEST_F(GnTemplateTest, TouchingTheManifestRebuildsTheSnapshot) {
  Touch(Path("snapshot/app.textproto"));
  ToolResult ninja = Ninja();
  EXPECT_TRUE(SnapshotRebuilt(ninja)) << ninja.out;
  EXPECT_THAT(Ninja().out, HasSubstr(kNoWork));
}

TEST_F(GnTemplateTest, TouchingAFileTheManifestDoesNotNameRebuildsNothing) {
  Touch(Path("snapshot/notes.js"));
  EXPECT_THAT(Ninja().out, HasSubstr(kNoWork));
}

TEST_F(GnTemplateTest, EditingAJsSourceChangesTheSnapshot) {
  std::string blob = ReadFile(Path("out/app.bin"));
  std::string sidecar = ReadFile(Path("out/app.bin.sidecar.pb"));
  Write("snapshot/greeting.js", "globalThis.greeting = 'good morning';\n");
  ToolResult ninja = Ninja();
  Write("snapshot/greeting.js", kGreeting);
  EXPECT_TRUE(SnapshotRebuilt(ninja)) << ninja.out;
  EXPECT_FALSE(ReadFile(Path("out/app.bin")) == blob) << "the new JS is not in the blob";
  EXPECT_FALSE(ReadFile(Path("out/app.bin.sidecar.pb")) == sidecar) << "digests unchanged";
}

TEST_F(GnTemplateTest, ASourceAddedToTheManifestIsTrackedFromThenOn) {
  std::string manifest = kManifest;
  manifest.insert(manifest.find("  js: \"greeting.js\""), "  js: \"notes.js\"\n");
  Write("snapshot/app.textproto", manifest);
  EXPECT_TRUE(SnapshotRebuilt(Ninja()));
  Touch(Path("snapshot/notes.js"));
  ToolResult ninja = Ninja();
  Write("snapshot/app.textproto", kManifest);
  EXPECT_TRUE(SnapshotRebuilt(ninja)) << "the depfile did not pick up the new source\n"
                                      << ninja.out;
}

TEST_F(GnTemplateTest, RelinkingTheBuilderRebuildsTheSnapshot) {
  Touch(Path("app_builder.cc"));
  ToolResult ninja = Ninja();
  EXPECT_EQ(ninja.exit_code, 0) << ninja.out;
  EXPECT_THAT(ninja.out, HasSubstr("LINK ./app_builder"));
  EXPECT_TRUE(SnapshotRebuilt(ninja)) << ninja.out;
  EXPECT_THAT(Ninja().out, HasSubstr(kNoWork));
}

TEST_F(GnTemplateTest, AFailedBuildKeepsThePreviousSnapshotAndIsRetried) {
  std::string blob = ReadFile(Path("out/app.bin"));
  std::string broken = kManifest;
  broken.replace(broken.find("deps: \"greeting\""), 16, "deps: \"greting\"");
  Write("snapshot/app.textproto", broken);
  ToolResult first = Ninja();
  ToolResult second = Ninja();
  Write("snapshot/app.textproto", kManifest);
  EXPECT_NE(first.exit_code, 0);
  EXPECT_THAT(first.out,
              HasSubstr("app.textproto:8:9: error: extension 'app' depends on 'greting'"));
  EXPECT_TRUE(ReadFile(Path("out/app.bin")) == blob) << "a failed build replaced the snapshot";
  EXPECT_NE(second.exit_code, 0) << "ninja took the failed build for done";
  EXPECT_TRUE(SnapshotRebuilt(Ninja()));
}

// Installed tools must find libnode beside themselves only: a RUNPATH naming this clone's
// third_party/v8 would load whatever V8 the clone holds later (or fail once it is gone).
TEST_F(InstallTest, InstalledToolsLookForLibnodeOnlyInThePrefix) {
  for (const char* tool : {"snapshot_builder", "snapshot_run", "snapshot_inspect"}) {
    const std::string binary = Prefix() + "/bin/" + tool;
    if (!Exists(binary)) continue;  // snapshot_inspect is optional in install.sh
    ToolResult dynamic = Shell("readelf -d " + Quoted(binary));
    ASSERT_EQ(dynamic.exit_code, 0) << dynamic.err;
    EXPECT_THAT(dynamic.out, HasSubstr("Library runpath: [$ORIGIN/../lib]\n")) << tool;
    EXPECT_THAT(dynamic.out, Not(HasSubstr(SourcePath("third_party")))) << tool;
    ToolResult libs = Shell("ldd " + Quoted(binary));
    EXPECT_THAT(libs.out,
                HasSubstr(V8Soname() + " => " + Prefix() + "/bin/../lib/" + V8Soname()))
        << tool;
  }
}

}  // namespace
}  // namespace v8snap::testing
