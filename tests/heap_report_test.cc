// End to end: `snapshot_inspect heap` on tests/fixtures/heap/, whose answer is known: the global
// bigTable holds 100,000 doubles (an 800,016-byte store) and the module rows keeps 2,000 objects
// alive through the context of its exported function rowCount.
#include <numeric>

#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "snapshot_inspect/inspect_report.pb.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

class HeapReportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    ToolResult r = RunTool(
        "snapshot_builder",
        {"--manifest", SourcePath("tests/fixtures/heap/runtime.textproto"), "--out", Snap()});
    build_error_ = r.exit_code == 0 ? "" : r.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override { ASSERT_EQ(build_error_, ""); }

  static std::string Snap() { return dir_->path() + "/heap.bin"; }
  static inspect::HeapComposition Json(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"heap", Snap(), "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    ToolResult r = RunTool("snapshot_inspect", args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    inspect::HeapReport report;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(r.out, &report).ok()) << r.out;
    return report.heap();
  }

  static TempDir* dir_;
  static std::string build_error_;
};

TempDir* HeapReportTest::dir_ = nullptr;
std::string HeapReportTest::build_error_;

constexpr int64_t kBigTableStore = 100000 * 8 + 16;

TEST_F(HeapReportTest, TheGlobalHoldingABigArrayIsTheBiggestObject) {
  inspect::HeapComposition heap = Json();
  ASSERT_GT(heap.biggest_size(), 3);
  const inspect::RetainedObject& first = heap.biggest(0);
  EXPECT_EQ(first.path(), "globalThis.bigTable");
  EXPECT_EQ(first.type(), "object");
  EXPECT_EQ(first.name(), "Array");
  EXPECT_GE(first.retained_bytes(), kBigTableStore);
  EXPECT_LT(first.retained_bytes(), kBigTableStore + 1024);
  for (int i = 1; i < heap.biggest_size(); ++i) {
    EXPECT_LE(heap.biggest(i).retained_bytes(), heap.biggest(i - 1).retained_bytes());
  }
}

TEST_F(HeapReportTest, AModuleExportRetainsItsRowsThroughItsContext) {
  inspect::HeapComposition heap = Json();
  const inspect::RetainedObject* rows = nullptr;
  for (const auto& o : heap.biggest()) {
    if (o.path() == "rowCount (export of ext:rows/rows.js).<context>.rows") rows = &o;
  }
  ASSERT_NE(rows, nullptr);
  EXPECT_EQ(rows->name(), "Array");
  EXPECT_EQ(rows->extension(), "rows");
  EXPECT_EQ(rows->source(), "ext:rows/rows.js");
  // 2,000 objects of two properties each, their label strings and the array's store.
  EXPECT_GT(rows->retained_bytes(), 2000 * 40);
}

TEST_F(HeapReportTest, CategoriesExtensionsAndSourcesAddUpToTheHeap) {
  inspect::HeapComposition heap = Json({"--top", "0"});
  auto total = [](const auto& rows) {
    return std::accumulate(rows.begin(), rows.end(), int64_t{0},
                           [](int64_t sum, const auto& r) { return sum + r.bytes(); });
  };
  EXPECT_EQ(total(heap.categories()), heap.bytes());
  EXPECT_EQ(total(heap.extensions()), heap.bytes());
  EXPECT_EQ(total(heap.sources()), heap.bytes());
  std::map<std::string, int64_t> categories, extensions;
  for (const auto& c : heap.categories()) categories[c.name()] = c.bytes();
  for (const auto& e : heap.extensions()) extensions[e.name()] = e.bytes();
  EXPECT_GE(categories["arrays"], kBigTableStore);
  EXPECT_GT(categories["source strings"], 0);
  EXPECT_GT(categories["code and bytecode"], 0);
  EXPECT_GT(categories["closures"], 0);
  EXPECT_GE(categories["objects: Object"], 2000 * 28);  // the rows
  EXPECT_GT(extensions["rows"], 2000 * 40);
  EXPECT_GT(extensions["core"], 0);
  bool rows_source = false;
  for (const auto& s : heap.sources()) {
    rows_source |= s.name() == "ext:rows/rows.js" && s.extension() == "rows";
  }
  EXPECT_TRUE(rows_source);
}

TEST_F(HeapReportTest, TextShowsEachPart) {
  ToolResult r = RunTool("snapshot_inspect", {"heap", Snap(), "--top", "5"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* part :
       {"\nBy category\n  category ",
        "\nBy extension (through the script or module each object "
        "comes from)\n",
        "\nBy script or module\n", "  ext:rows/rows.js ", "\nBiggest objects by retained size",
        "\nBy type and constructor\n", "\nGlobal object's own properties ("}) {
    EXPECT_THAT(r.out, HasSubstr(part));
  }
  EXPECT_THAT(r.out, MatchesRegex("(.|\n)*\n  781\\.[0-9] KiB +32 B  object  Array +- +"
                                  "globalThis\\.bigTable\n(.|\n)*"));
}

}  // namespace
}  // namespace v8snap::testing
