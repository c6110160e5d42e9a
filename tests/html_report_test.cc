// End to end: `snapshot_inspect report` writes one self-contained HTML page, and Debian's
// chromium, headless, renders it: the page's script ran without error (it marks
// <body data-status="ok">) and the treemap is there. tools/install_deps.sh installs chromium.
#include <sys/wait.h>

#include <cstdio>
#include <regex>

#include "format/atomic_file.h"
#include "format/content_hash.h"
#include "format/snapshot_files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/api_fixture_snapshots.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class HtmlReportTest : public ApiFixtureSnapshotsTest {
 protected:
  // The DOM chromium holds after the page's script ran (--dump-dom), or "" with a failure.
  std::string RenderInChromium(const std::string& html_path) {
    TempDir profile;
    const std::string command =
        "timeout 120 chromium --headless --no-sandbox --disable-gpu "
        "--disable-background-networking --disable-component-update --disable-sync "
        "--no-first-run --user-data-dir=" +
        profile.path() + " --dump-dom file://" + html_path + " 2>/dev/null";
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) {
      ADD_FAILURE() << "cannot run chromium";
      return "";
    }
    std::string dom;
    char buffer[65536];
    for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) dom.append(buffer, n);
    const int status = pclose(pipe);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "chromium failed (status " << status << "): install it with tools/install_deps.sh";
    return dom;
  }

  TempDir tmp_;
};


// The whole DOM is too long for a failure message: these say which piece is missing.
::testing::AssertionResult Has(const std::string& dom, const std::string& piece) {
  if (dom.find(piece) != std::string::npos) return ::testing::AssertionSuccess();
  const size_t body = dom.find("<body");
  return ::testing::AssertionFailure()
         << "the page lacks: " << piece << " (" << dom.size() << " bytes of DOM; "
         << (body == std::string::npos ? "no body" : dom.substr(body, 30)) << ")";
}

size_t Count(const std::string& text, const std::string& what) {
  size_t count = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
  return count;
}

TEST_F(HtmlReportTest, WritesOneSelfContainedPage) {
  const std::string out = tmp_.path() + "/report.html";
  ToolResult r = RunTool("snapshot_inspect", {"report", Snap("v2"), Snap("v1"), "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "wrote " + out + "\n");
  std::string html = *ReadFileToString(out);
  EXPECT_THAT(html, HasSubstr("<style>"));
  EXPECT_THAT(html, HasSubstr("<script type=\"application/json\" id=\"report-data\">"));
  // Nothing is fetched: no linked file, no external source; the only URL is SVG's namespace name.
  EXPECT_THAT(html, Not(HasSubstr("<link")));
  EXPECT_THAT(html, Not(HasSubstr(" src=")));
  EXPECT_EQ(Count(html, "://"), Count(html, "http://www.w3.org/2000/svg"));
  EXPECT_THAT(html, HasSubstr("default-src 'none'"));
  // The diff travels with the data: the export the new snapshot lost.
  EXPECT_THAT(html, HasSubstr("export 'Slugger' (class) of ext:slugs/slugs.js removed"));

  // --json prints that data: the same diff, the heap, both infos.
  ToolResult json =
      RunTool("snapshot_inspect", {"report", Snap("v2"), Snap("v1"), "--out", out, "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  for (const char* key : {"\"new_info\"", "\"new_heap\"", "\"old_info\"", "\"old_heap\"",
                          "\"diff\"", "\"api_compared\": true", "\"biggest\""}) {
    EXPECT_THAT(json.out, HasSubstr(key));
  }
}

TEST_F(HtmlReportTest, ChromiumRendersTheTreemapWithoutScriptErrors) {
  const std::string out = tmp_.path() + "/report.html";
  ASSERT_EQ(RunTool("snapshot_inspect", {"report", Snap("v2"), Snap("v1"), "--out", out}).exit_code,
            0);
  std::string dom = RenderInChromium(out);
  EXPECT_TRUE(Has(dom, "<body data-status=\"ok\">"));
  EXPECT_FALSE(Has(dom, "class=\"script-error\""));
  EXPECT_TRUE(Has(dom, "<svg id=\"treemap\""));
  // Sections, extensions and sources: one block each, and more.
  EXPECT_GE(Count(dom, "<rect"), 10u);
  EXPECT_TRUE(Has(dom, "<title>startup › slugs: "));
  EXPECT_TRUE(Has(dom, "<title>startup › (V8 and shared) › V8 built-ins and shared objects: "));
  EXPECT_TRUE(Has(dom, "<svg id=\"heap-categories\""));
  EXPECT_TRUE(Has(dom, "API diff (5 changes)"));

  // One snapshot alone: no comparison, the rest drawn the same.
  const std::string alone = tmp_.path() + "/alone.html";
  ASSERT_EQ(RunTool("snapshot_inspect", {"report", Snap("v1"), "--out", alone}).exit_code, 0);
  dom = RenderInChromium(alone);
  EXPECT_TRUE(Has(dom, "<body data-status=\"ok\">"));
  EXPECT_TRUE(Has(dom, "<svg id=\"treemap\""));
  EXPECT_FALSE(Has(dom, "<h2>API diff ("));
}

// The check above can fail: a page whose data is damaged shows its script error and says so.
TEST_F(HtmlReportTest, AScriptErrorIsVisibleInTheRenderedPage) {
  const std::string out = tmp_.path() + "/report.html";
  ASSERT_EQ(RunTool("snapshot_inspect", {"report", Snap("v1"), "--out", out}).exit_code, 0);
  std::string html = *ReadFileToString(out);
  html = std::regex_replace(html, std::regex("id=\"report-data\">\\{"), "id=\"report-data\">{,");
  ASSERT_TRUE(WriteFileAtomically(out, html).ok());
  std::string dom = RenderInChromium(out);
  EXPECT_TRUE(Has(dom, "<body data-status=\"error\">"));
  EXPECT_TRUE(Has(dom, "class=\"script-error\""));
  EXPECT_FALSE(Has(dom, "<svg id=\"treemap\""));
}

// A snapshot of another V8 cannot be loaded here: the page leaves its heap out and says why, and
// still shows the blob and the API diff (a V8 upgrade under review).
TEST_F(HtmlReportTest, AnotherV8sSnapshotIsShownWithoutItsHeap) {
  // v1's pair as a builder linked with another V8 would write it: the version string in the
  // blob's header (64 bytes, NUL-padded; at offset 12 in V8 10.2's layout, 16 in 13.6's) and in
  // the sidecar.
  const std::string version = "11.3.244.8-node.0";
  const std::string other = tmp_.path() + "/other.bin";
  std::string blob = *ReadFileToString(Snap("v1"));
  absl::StatusOr<Sidecar> sidecar =
      DecodeSidecar(*ReadFileToString(SidecarPathFor(Snap("v1"))), "v1 sidecar");
  ASSERT_TRUE(sidecar.ok());
  const size_t at = blob.find(sidecar->v8_version());
  ASSERT_TRUE(at == 12 || at == 16) << "no V8 version string in the blob's header: " << at;
  blob.replace(at, 64, version + std::string(64 - version.size(), '\0'));
  ASSERT_TRUE(WriteFileAtomically(other, blob).ok());
  sidecar->set_v8_version(version);
  sidecar->mutable_blob()->set_xxh3_128(Xxh3Hex(blob));
  ASSERT_TRUE(WriteFileAtomically(SidecarPathFor(other), EncodeSidecar(*sidecar)).ok());

  const std::string out = tmp_.path() + "/upgrade.html";
  ToolResult r = RunTool("snapshot_inspect", {"report", Snap("v2"), other, "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string dom = RenderInChromium(out);
  EXPECT_TRUE(Has(dom, "<body data-status=\"ok\">"));
  EXPECT_TRUE(Has(dom, "<li class=\"report-note\">The heap of " + other + " is not shown: "));
  EXPECT_TRUE(Has(dom, "was built with V8 " + version));
  EXPECT_TRUE(Has(dom, "<svg id=\"treemap\""));
  EXPECT_TRUE(Has(dom, "<h2>API diff (5 changes)</h2>"));
}

TEST_F(HtmlReportTest, AFailedRunLeavesTheOldReport) {
  const std::string out = tmp_.path() + "/report.html";
  ASSERT_TRUE(WriteFileAtomically(out, "previous report").ok());
  ToolResult missing =
      RunTool("snapshot_inspect", {"report", tmp_.path() + "/nothere.bin", "--out", out});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("snapshot_inspect: error: "));
  EXPECT_THAT(missing.err, HasSubstr("nothere.bin"));
  EXPECT_EQ(*ReadFileToString(out), "previous report");

  ToolResult no_folder = RunTool(
      "snapshot_inspect", {"report", Snap("v1"), "--out", tmp_.path() + "/no/such/report.html"});
  EXPECT_EQ(no_folder.exit_code, 1);
  EXPECT_THAT(no_folder.err, HasSubstr("--out"));

  ToolResult usage = RunTool("snapshot_inspect", {"report", Snap("v1")});
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_THAT(usage.err, HasSubstr("--out"));
}

}  // namespace
}  // namespace v8snap::testing
