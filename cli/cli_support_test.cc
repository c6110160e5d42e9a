// Unit tests for the shared CLI helpers: GitHub annotations and error lines.
#include "cli/cli_support.h"

#include "gtest/gtest.h"

namespace v8snap {
namespace {

TEST(GithubAnnotationsTest, ProblemsWithPlacesBecomeFileAnnotations) {
  EXPECT_EQ(ToGithubAnnotations("m.textproto:3:5: error: unknown dependency 'x'\n"
                                "  fix: add it\n"
                                "m.textproto:9:1: error: cycle a -> b -> a\n"),
            "::error file=m.textproto,line=3,col=5::unknown dependency 'x'%0A  fix: add it\n"
            "::error file=m.textproto,line=9,col=1::cycle a -> b -> a");
}

TEST(GithubAnnotationsTest, JsErrorsKeepTheirStackAsContinuation) {
  EXPECT_EQ(
      ToGithubAnnotations("ext/a.js:4:3: Uncaught TypeError: bad\n    at f (ext/a.js:4:3)"),
      "::error file=ext/a.js,line=4,col=3::Uncaught TypeError: bad%0A    at f (ext/a.js:4:3)");
}

TEST(GithubAnnotationsTest, PlacelessErrorsAndEscaping) {
  EXPECT_EQ(ToGithubAnnotations("cannot open 'x': 100% gone"),
            "::error::cannot open 'x': 100%25 gone");
  EXPECT_EQ(ToGithubAnnotations("a,b:c.js:1:2: error: m"),
            "::error file=a%2Cb%3Ac.js,line=1,col=2::m");
}

// A line that names no place belongs to the problem above it: on its own it became a second
// "::error::" annotation with no file, cut off from its problem.
TEST(GithubAnnotationsTest, MessageSpanningLinesStaysOneAnnotation) {
  EXPECT_EQ(ToGithubAnnotations("m.textproto:3:5: error: first line\nsecond line\n  fix: x\n"
                                "m.textproto:4:1: error: next"),
            "::error file=m.textproto,line=3,col=5::first line%0Asecond line%0A  fix: x\n"
            "::error file=m.textproto,line=4,col=1::next");
  EXPECT_EQ(ToGithubAnnotations("ext/a.js:1:7: Uncaught Error: a\nb\n    at ext/a.js:1:7"),
            "::error file=ext/a.js,line=1,col=7::Uncaught Error: a%0Ab%0A    at ext/a.js:1:7");
}

TEST(GithubAnnotationsTest, PlacelessTextBeforeTheFirstPlaceIsOneAnnotation) {
  EXPECT_EQ(ToGithubAnnotations("cannot build\nbecause\nm.textproto:1:1: error: x"),
            "::error::cannot build%0Abecause\n::error file=m.textproto,line=1,col=1::x");
}

TEST(GithubAnnotationsTest, CarriageReturnsAreEscapedNotSplit) {
  EXPECT_EQ(ToGithubAnnotations("a.js:1:2: bad\rthing\r"),
            "::error file=a.js,line=1,col=2::bad%0Dthing%0D");
  EXPECT_EQ(ToGithubAnnotations("50%\r\n"), "::error::50%25%0D");
}

TEST(FormatErrorTest, ToolAndLabelOnceEach) {
  EXPECT_EQ(FormatError("snapshot_builder", "cannot open 'x'", false),
            "snapshot_builder: error: cannot open 'x'");
  // A manifest problem already says where and "error:": not "snapshot_builder: error: m...:
  // error: ...".
  EXPECT_EQ(FormatError("snapshot_builder",
                        "m.textproto:1:2: error: unknown field\n  fix: x\n"
                        "m.textproto:3:1: error: y",
                        false),
            "m.textproto:1:2: error: unknown field\n  fix: x\nm.textproto:3:1: error: y");
  EXPECT_EQ(FormatError("snapshot_builder", "m.textproto: error: cannot read", true),
            "m.textproto: \033[1;31merror:\033[0m cannot read");
  EXPECT_EQ(FormatError("t", "first\nsecond: error: not a label of the first line", true),
            "t: \033[1;31merror:\033[0m first\nsecond: error: not a label of the first line");
}

}  // namespace
}  // namespace v8snap
