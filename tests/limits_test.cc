// End to end: the resource limits of snapshot_run. Scripts that allocate without bound, in
// every shape that matters (many small objects, big arrays, one huge string, typed arrays),
// end with a clean "out of memory" error and exit 1, never a signal; ArrayBuffer memory counts
// against --max-heap-mb; out-of-range limit values are usage errors.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class LimitsTest : public ::testing::Test {
 protected:
  ToolResult Run(const std::string& script, std::vector<std::string> flags) {
    std::vector<std::string> args = {"--snapshot", ToolPath("default.bin")};
    args.insert(args.end(), flags.begin(), flags.end());
    args.push_back(tmp_.Write("main.js", script));
    return RunTool("snapshot_run", args);
  }
  TempDir tmp_;
};

struct Shape {
  const char* name;
  const char* script;
};

// Each shape used to end in "Fatal javascript OOM" and SIGTRAP (exit 133), or to run past the
// limit. Some are stopped while running JS; the ones that allocate past the limit inside one V8
// operation end the process, but with the same kind of error and exit 1.
TEST_F(LimitsTest, EveryShapeOfAllocationEndsWithOutOfMemory) {
  const std::vector<Shape> shapes = {
      {"many small objects", "const keep = [];\nwhile (true) keep.push({ n: keep.length });\n"},
      {"arrays of doubles",
       "const keep = [];\nwhile (true) keep.push(new Array(100000).fill(1.5));\n"},
      {"one big array fill", "const a = new Array(1e8).fill(1.5);\nconsole.log(a.length);\n"},
      {"one huge flat string",
       "const s = ('x'.repeat(2 ** 27) + 'y').toUpperCase();\nconsole.log(s.length);\n"},
      {"strings kept",
       "const keep = [];\nwhile (true) keep.push('x'.repeat(1000) + keep.length);\n"},
  };
  for (const Shape& shape : shapes) {
    SCOPED_TRACE(shape.name);
    ToolResult r = Run(shape.script, {"--max-heap-mb=32"});
    EXPECT_EQ(r.exit_code, 1) << "must be a clean exit 1, not a signal\n" << r.err;
    EXPECT_EQ(r.out, "") << "the script must not have finished";
    EXPECT_THAT(r.err, HasSubstr("snapshot_run: error: out of memory"));
    EXPECT_THAT(r.err, HasSubstr("32 MiB heap limit (--max-heap-mb)"));
    EXPECT_THAT(r.err, HasSubstr("fix:"));
    EXPECT_THAT(r.err, Not(HasSubstr("Fatal javascript OOM")));
  }
}

TEST_F(LimitsTest, TypedArraysCountAgainstTheLimitAndTheRefusalCanBeCaught) {
  ToolResult r = Run(
      "const keep = [];\n"
      "let mib = 0;\n"
      "try {\n"
      "  while (mib < 1024) { keep.push(new Uint8Array(16 * 1024 * 1024)); mib += 16; }\n"
      "  console.log('no limit after ' + mib + ' MiB');\n"
      "} catch (e) {\n"
      // The runtime's own start-up holds a few ArrayBuffers too: the script gets 48 or 64 MiB.
      "  const within = mib >= 48 && mib <= 64 ? 'within the limit' : 'after ' + mib + ' MiB';\n"
      "  console.log(e.name + ': ' + e.message + ', ' + within);\n"
      "}\n",
      {"--max-heap-mb=64"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "RangeError: Array buffer allocation failed, within the limit\n");
}

// TextEncoder's output comes from the same counted allocator; a refusal is a RangeError the
// script can catch (it used to end the process inside V8).
TEST_F(LimitsTest, EncodedBytesCountAgainstTheLimitToo) {
  ToolResult r =
      Run("const text = 'x'.repeat(4 * 1024 * 1024);\n"
          "const keep = [];\n"
          "try {\n"
          "  while (keep.length < 256) keep.push(new TextEncoder().encode(text));\n"
          "  console.log('no limit after ' + keep.length * 4 + ' MiB');\n"
          "} catch (e) {\n"
          "  console.log(e.name + ': ' + e.message + (keep.length * 4 <= 64 ? '' : ' too late'));\n"
          "}\n",
          {"--max-heap-mb=64"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "RangeError: Array buffer allocation failed\n");
}

TEST_F(LimitsTest, AnUncaughtTypedArrayRefusalNamesTheLimit) {
  ToolResult r = Run("const keep = [];\nwhile (true) keep.push(new Float64Array(1000000));\n",
                     {"--max-heap-mb=32"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("RangeError: Array buffer allocation failed"));
  EXPECT_THAT(r.err, HasSubstr("ArrayBuffer memory is limited to 32 MiB (--max-heap-mb)"));
}

// Without --max-heap-mb the ceiling is V8's own default limit, watched the same way: an
// allocation bomb is an error naming that limit, not SIGTRAP.
TEST_F(LimitsTest, WithoutTheFlagV8sDefaultLimitIsWatched) {
  ToolResult r =
      Run("const keep = [];\n"
          "for (let i = 0; ; i++) keep.push(('x'.repeat(2 ** 28 - i)).toUpperCase());\n",
          {});
  EXPECT_EQ(r.exit_code, 1) << "must be a clean exit 1, not a signal\n" << r.err;
  EXPECT_THAT(r.err, HasSubstr("snapshot_run: error: out of memory"));
  EXPECT_THAT(r.err, HasSubstr("V8's default heap limit ("));
}

TEST_F(LimitsTest, ARunWithinTheLimitsIsUnaffected) {
  ToolResult r =
      Run("const bytes = new Uint8Array(8 * 1024 * 1024);\n"
          "const list = Array.from({ length: 100000 }, (_, i) => ({ i }));\n"
          "console.log(bytes.length + list.length);\n",
          {"--max-heap-mb=64", "--timeout-ms=60000"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "8488608\n");
}

TEST_F(LimitsTest, OutOfRangeValuesAreUsageErrors) {
  struct Case {
    std::vector<std::string> flags;
    const char* expected;
  };
  const std::vector<Case> cases = {
      {{"--max-heap-mb", "-5"}, "--max-heap-mb '-5' is not a valid value"},
      {{"--max-heap-mb=-1"}, "--max-heap-mb '-1' is not a valid value"},
      {{"--max-heap-mb=17592186044415"}, "--max-heap-mb '17592186044415' is not a valid value"},
      {{"--max-heap-mb=0"}, "--max-heap-mb '0' is not a valid value"},
      {{"--max-heap-mb=15"}, "--max-heap-mb '15' is not a valid value"},
      {{"--max-heap-mb=64MB"}, "--max-heap-mb '64MB' is not a valid value"},
      {{"--timeout-ms=0"}, "--timeout-ms '0' is not a valid value"},
      {{"--timeout-ms=-1"}, "--timeout-ms '-1' is not a valid value"},
      {{"--timeout-ms=99999999999999"}, "--timeout-ms '99999999999999' is not a valid value"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.flags.back());
    ToolResult r = Run("console.log('ran');\n", c.flags);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_THAT(r.err, HasSubstr(c.expected));
  }
  ToolResult heap = Run("", {"--max-heap-mb=-5"});
  EXPECT_THAT(heap.err, HasSubstr("give a whole number of MiB from 16 to 1048576"));
  ToolResult timeout = Run("", {"--timeout-ms=0"});
  EXPECT_THAT(timeout.err, HasSubstr("give a whole number of milliseconds from 1 to 2147483647"));
}

TEST_F(LimitsTest, TheBoundsOfTheRangesAreAccepted) {
  for (const std::vector<std::string>& flags : {std::vector<std::string>{"--max-heap-mb=16"},
                                                {"--max-heap-mb=1048576"},
                                                {"--timeout-ms=2147483647"}}) {
    SCOPED_TRACE(flags.front());
    ToolResult r = Run("console.log('ran');\n", flags);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "ran\n");
  }
}

}  // namespace
}  // namespace v8snap::testing
