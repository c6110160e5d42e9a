// Unit tests for the shared CLI helpers: GitHub annotations.
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
  EXPECT_EQ(ToGithubAnnotations("ext/a.js:4:3: Uncaught TypeError: bad\n    at f (ext/a.js:4:3)"),
            "::error file=ext/a.js,line=4,col=3::Uncaught TypeError: bad%0A    at f (ext/a.js:4:3)");
}

TEST(GithubAnnotationsTest, PlacelessErrorsAndEscaping) {
  EXPECT_EQ(ToGithubAnnotations("cannot open 'x': 100% gone"), "::error::cannot open 'x': 100%25 gone");
  EXPECT_EQ(ToGithubAnnotations("a,b:c.js:1:2: error: m"), "::error file=a%2Cb%3Ac.js,line=1,col=2::m");
}

}  // namespace
}  // namespace v8snap
