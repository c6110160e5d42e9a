// End to end: hostile or broken inputs get a clear error and exit 1, never a hang, a signal or a
// successful run. Build inputs (trusted, still checked) and runtime inputs (untrusted).
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "format/atomic_file.h"
#include "format/snapshot_files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class BadInputsTest : public ::testing::Test {
 protected:
  // A manifest in tmp_ with one JS-only extension whose source is `source_name`.
  std::string ManifestWithSource(const std::string& source_name) {
    return tmp_.Write("m.textproto",
                      "extension { name: \"core\" js: \"core.js\" }\n"
                      "extension { name: \"app\" js: \"" +
                          source_name + "\" }\n");
  }
  ToolResult Build(const std::string& manifest) {
    return RunTool("snapshot_builder", {"--manifest", manifest, "--out", tmp_.path() + "/s.bin"});
  }
  void SetUp() override {
    tmp_.Write("core.js", *ReadFileToString(SourcePath("extensions/core/core.js")));
  }
  TempDir tmp_;
};

TEST_F(BadInputsTest, SourceThatIsADirectory) {
  mkdir((tmp_.path() + "/dir.js").c_str(), 0755);
  ToolResult r = Build(ManifestWithSource("dir.js"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("m.textproto:2:"));
  EXPECT_THAT(r.err, HasSubstr("is a directory"));
}

TEST_F(BadInputsTest, SourceThatIsAFifoDoesNotHang) {
  ASSERT_EQ(mkfifo((tmp_.path() + "/pipe.js").c_str(), 0644), 0);
  ToolResult r = Build(ManifestWithSource("pipe.js"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("is a FIFO"));
}

TEST_F(BadInputsTest, SourceThatIsADevice) {
  ASSERT_EQ(symlink("/dev/zero", (tmp_.path() + "/zero.js").c_str()), 0);
  ToolResult r = Build(ManifestWithSource("zero.js"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("not a regular file"));
}

TEST_F(BadInputsTest, MissingManifest) {
  ToolResult r = Build(tmp_.path() + "/nope.textproto");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("nope.textproto"));
}

// The names of the files in tmp_, sorted: what a run left behind.
std::vector<std::string> Listing(const std::string& dir) {
  std::vector<std::string> names;
  if (DIR* d = opendir(dir.c_str())) {
    while (struct dirent* entry = readdir(d)) {
      std::string name = entry->d_name;
      if (name != "." && name != "..") names.push_back(name);
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST_F(BadInputsTest, OutputFolderMissingIsNamedWithTheFix) {
  const std::string manifest = ManifestWithSource("core.js");
  ToolResult r = RunTool("snapshot_builder",
                         {"--manifest", manifest, "--out", tmp_.path() + "/no/such/dir/s.bin"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "snapshot_builder: error: output folder '" + tmp_.path() +
                       "/no/such/dir' does not exist: create it or choose another --out\n");
  EXPECT_EQ(Listing(tmp_.path()), (std::vector<std::string>{"core.js", "m.textproto"}));
}

TEST_F(BadInputsTest, OutThatIsAFolderIsRefusedBeforeAnythingIsWritten) {
  const std::string manifest = ManifestWithSource("core.js");
  ASSERT_EQ(mkdir((tmp_.path() + "/outdir").c_str(), 0755), 0);
  for (const std::string& out : {tmp_.path() + "/outdir", tmp_.path() + "/outdir/"}) {
    ToolResult r = RunTool("snapshot_builder", {"--manifest", manifest, "--out", out});
    EXPECT_EQ(r.exit_code, 1) << out;
    EXPECT_THAT(r.err, HasSubstr("output path '" + out +
                                 "' is a folder: --out takes the path of "
                                 "the file to write (for example '" +
                                 tmp_.path() + "/outdir/snapshot.bin')"));
    EXPECT_EQ(Listing(tmp_.path()), (std::vector<std::string>{"core.js", "m.textproto", "outdir"}))
        << "a staged sidecar was left behind";
    EXPECT_TRUE(Listing(tmp_.path() + "/outdir").empty());
  }
}

TEST_F(BadInputsTest, SidecarPathThatIsAFolderIsRefusedBeforeAnythingIsWritten) {
  const std::string manifest = ManifestWithSource("core.js");
  ASSERT_EQ(mkdir((tmp_.path() + "/s.bin.sidecar.pb").c_str(), 0755), 0);
  ToolResult r = Build(manifest);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("'" + tmp_.path() + "/s.bin.sidecar.pb', where the sidecar of '" +
                               tmp_.path() + "/s.bin' goes, is a folder"));
  EXPECT_EQ(Listing(tmp_.path()),
            (std::vector<std::string>{"core.js", "m.textproto", "s.bin.sidecar.pb"}));
}

TEST_F(BadInputsTest, EmptyPathsAreUsageErrors) {
  const std::string manifest = ManifestWithSource("core.js");
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--manifest", manifest, "--out", ""},
           {"--manifest", "", "--out", "s.bin"},
           {"--manifest", manifest, "--out", "s.bin", "--depfile", ""}}) {
    ToolResult r = RunTool("snapshot_builder", args, tmp_.path());
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_THAT(r.err, HasSubstr("expected a path, found an empty string"));
    EXPECT_EQ(Listing(tmp_.path()), (std::vector<std::string>{"core.js", "m.textproto"}))
        << "nothing is written in the current folder";
  }
}

TEST_F(BadInputsTest, DepfileFolderMissingIsRefusedBeforeBuilding) {
  ToolResult r =
      RunTool("snapshot_builder", {"--manifest", ManifestWithSource("core.js"), "--out",
                                   tmp_.path() + "/s.bin", "--depfile", tmp_.path() + "/gone/s.d"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("output folder '" + tmp_.path() +
                               "/gone' does not exist: create it or choose another --depfile"));
  EXPECT_EQ(Listing(tmp_.path()), (std::vector<std::string>{"core.js", "m.textproto"}));
}

// Every manifest error class, through the builder: the problem at file:line:col, said once.
struct ManifestErrorCase {
  const char* name;
  const char* manifest;
  const char* first_line;  // after the manifest path
  const char* fix_words;
};

TEST_F(BadInputsTest, ManifestErrorsThroughTheBuilder) {
  const ManifestErrorCase cases[] = {
      {"syntax error", "extension { name: core }\n",
       ":1:19: error: expected protobuf text format (v8snap.Manifest), found a syntax error: "
       "Expected string, got: core",
       "strings are double-quoted"},
      {"unknown field", "extension {\n  nmae: \"core\"\n  js: \"core.js\"\n}\n",
       ":2:3: error: unknown field 'nmae' in an `extension { ... }` block", "did you mean 'name'?"},
      {"empty manifest", "# proto-message: v8snap.Manifest\nname: \"nothing\"\n",
       ":1:1: error: expected at least one `extension { ... }` block, found none",
       "add a block such as `extension { name: \"core\" js: \"core.js\" }`"},
      {"unknown native extension", "extension { name: \"core\" }\nextension { name: \"consle\" }\n",
       ":2:19: error: extension 'consle' has no sources, so it must be a native extension, but "
       "this binary registers no ops under that name",
       "did you mean 'console'?; native extensions in this binary: 'console', "},
      {"import map: a relative `from`",
       "extension { name: \"core\" js: \"core.js\" }\n"
       "extension { name: \"app\" esm: \"core.js\" }\n"
       "import_map { from: \"./app\" to: \"ext:app/core.js\" }\n",
       ":3:20: error: import_map { from: \"./app\" to: \"ext:app/core.js\" }: `from` is a relative "
       "specifier, which resolves against the importing module, never through the import map",
       "a specifier with no './', '../' or '/' in front and no scheme"},
      {"import map: a `to` naming no module",
       "extension { name: \"core\" js: \"core.js\" }\n"
       "extension { name: \"app\" esm: \"core.js\" }\n"
       "import_map { from: \"app\" to: \"ext:app/app.js\" }\n",
       ":3:30: error: import_map { from: \"app\" to: \"ext:app/app.js\" }: `to` names no source of "
       "this manifest: extension 'app' has no esm, lazy_esm or cjs source named 'app.js'",
       "extension 'app' offers: 'ext:app/core.js'"},
  };
  for (const ManifestErrorCase& c : cases) {
    const std::string manifest = tmp_.Write("m.textproto", c.manifest);
    ToolResult r = Build(manifest);
    EXPECT_EQ(r.exit_code, 1) << c.name;
    EXPECT_THAT(r.err, ::testing::StartsWith(manifest + c.first_line)) << c.name;
    EXPECT_THAT(r.err, HasSubstr(c.fix_words)) << c.name;
    EXPECT_THAT(r.err, Not(HasSubstr("snapshot_builder: error:"))) << "said twice";
    EXPECT_EQ(Listing(tmp_.path()), (std::vector<std::string>{"core.js", "m.textproto"})) << c.name;
  }
  // The list of native extensions names every one this builder links, in order.
  ToolResult r = Build(tmp_.Write("m.textproto", "extension { name: \"nosuch\" }\n"));
  for (const char* native : {"'core'", "'console'", "'encoding'", "'crypto'"}) {
    EXPECT_THAT(r.err, HasSubstr(native));
  }
}

// Root reads any file, so the unreadable source is read by the builder running as user nobody.
TEST_F(BadInputsTest, UnreadableSourceSaysToMakeItReadable) {
  const char* setpriv = "/usr/bin/setpriv";
  if (getuid() != 0) {
    GTEST_SKIP() << "needs root to run the builder as user nobody (as another user, chmod 0 on "
                    "a file of one's own still leaves it readable to nobody else but root)";
  }
  if (access(setpriv, X_OK) != 0) GTEST_SKIP() << "setpriv (util-linux) is not installed";
  ASSERT_EQ(chmod(tmp_.path().c_str(), 0777), 0);  // nobody reads the manifest, writes the blob
  const std::string manifest = ManifestWithSource("secret.js");
  tmp_.Write("secret.js", "1;");
  ASSERT_EQ(chmod((tmp_.path() + "/secret.js").c_str(), 0), 0);
  ToolResult r = RunTool(
      setpriv, {"--reuid=65534", "--regid=65534", "--clear-groups", ToolPath("snapshot_builder"),
                "--manifest", manifest, "--out", tmp_.path() + "/s.bin"});
  ASSERT_NE(r.exit_code, 127) << "setpriv could not run the builder: " << r.err;
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr(manifest +
                               ":2:29: error: source 'secret.js' of extension 'app' "
                               "cannot be read: cannot open '" +
                               tmp_.path() + "/secret.js': Permission denied"));
  EXPECT_THAT(r.err, HasSubstr("fix: make it readable by the user running the build (for "
                               "example chmod a+r '" +
                               tmp_.path() + "/secret.js'"));
}

TEST_F(BadInputsTest, SnapshotPathThatIsADirectoryOrFifo) {
  std::string script = tmp_.Write("main.js", "1;");
  mkdir((tmp_.path() + "/d.bin").c_str(), 0755);
  mkdir((tmp_.path() + "/d.bin.sidecar.pb").c_str(), 0755);
  ToolResult dir = RunTool("snapshot_run", {"--snapshot", tmp_.path() + "/d.bin", script});
  EXPECT_EQ(dir.exit_code, 1);
  EXPECT_THAT(dir.err, HasSubstr("is a directory"));
  ASSERT_EQ(mkfifo((tmp_.path() + "/f.bin.sidecar.pb").c_str(), 0644), 0);
  ToolResult fifo = RunTool("snapshot_run", {"--snapshot", tmp_.path() + "/f.bin", script});
  EXPECT_EQ(fifo.exit_code, 1);
  EXPECT_THAT(fifo.err, HasSubstr("is a FIFO"));
}

// Every single-bit flip of the sidecar, and a sample of flips across the whole blob, is refused
// by the verified read (in-process: the same code snapshot_run uses, thousands of times).
TEST_F(BadInputsTest, FlippedBitsAnywhereAreRefused) {
  ASSERT_EQ(Build(ManifestWithSource("core.js")).exit_code, 0);
  const std::string blob_path = tmp_.path() + "/s.bin";
  const std::string sidecar_path = SidecarPathFor(blob_path);
  const std::string blob = *ReadFileToString(blob_path);
  const std::string sidecar = *ReadFileToString(sidecar_path);
  ASSERT_TRUE(ReadSnapshotPair(blob_path).ok());

  int sidecar_flips = 0;
  for (size_t i = 0; i < sidecar.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string bad = sidecar;
      bad[i] ^= static_cast<char>(1 << bit);
      auto decoded = DecodeSidecar(bad, sidecar_path);
      bool refused = !decoded.ok() || !VerifyBlobMatchesSidecar(blob, *decoded, blob_path).ok();
      EXPECT_TRUE(refused) << "sidecar byte " << i << " bit " << bit;
      ++sidecar_flips;
    }
  }
  auto good_sidecar = DecodeSidecar(sidecar, sidecar_path);
  ASSERT_TRUE(good_sidecar.ok());
  std::mt19937 random(7);
  std::uniform_int_distribution<size_t> position(0, blob.size() - 1);
  for (int n = 0; n < 3000; ++n) {
    std::string bad = blob;
    size_t i = n < 64 ? static_cast<size_t>(n) : position(random);  // the V8 header, then anywhere
    bad[i] ^= static_cast<char>(1 << (n % 8));
    EXPECT_FALSE(VerifyBlobMatchesSidecar(bad, *good_sidecar, blob_path).ok()) << "blob byte " << i;
  }
  for (size_t cut : {size_t{0}, size_t{1}, blob.size() / 2, blob.size() - 1}) {
    EXPECT_FALSE(VerifyBlobMatchesSidecar(blob.substr(0, cut), *good_sidecar, blob_path).ok());
  }
  EXPECT_GT(sidecar_flips, 1000);
}

}  // namespace
}  // namespace v8snap::testing
