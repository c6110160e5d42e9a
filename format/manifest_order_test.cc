// Unit tests for the suggested extension order and the manifest text rewrite that applies it.
#include "format/manifest_order.h"

#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace v8snap {
namespace {

using Names = std::vector<std::string>;

Manifest Parse(const std::string& text) {
  Manifest manifest;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &manifest)) << text;
  return manifest;
}

Names NamesIn(const std::string& text) {
  Manifest manifest = Parse(text);
  Names names;
  for (const Extension& ext : manifest.extension()) names.push_back(ext.name());
  return names;
}

struct OrderCase {
  const char* test_name;
  const char* manifest;
  Names expected;
};

class SuggestOrderTest : public ::testing::TestWithParam<OrderCase> {};

TEST_P(SuggestOrderTest, GivesTheStableOrder) {
  EXPECT_EQ(SuggestExtensionOrder(Parse(GetParam().manifest)), GetParam().expected);
}

// One row per case reads better than clang-format's one field per line.
// clang-format off
INSTANTIATE_TEST_SUITE_P(
    Orders, SuggestOrderTest,
    ::testing::Values(
        OrderCase{"ValidOrderIsKept",
                  "extension { name: 'a' } extension { name: 'b' deps: 'a' } "
                  "extension { name: 'c' }",
                  {"a", "b", "c"}},
        OrderCase{"DependencyMovesUpOnlyAsFarAsNeeded",
                  "extension { name: 'x' } extension { name: 'a' deps: 'c' } "
                  "extension { name: 'b' } extension { name: 'c' } extension { name: 'd' }",
                  {"x", "b", "c", "a", "d"}},
        OrderCase{"ChainsAreResolved",
                  "extension { name: 'a' deps: 'b' } extension { name: 'b' deps: 'c' } "
                  "extension { name: 'c' }",
                  {"c", "b", "a"}},
        OrderCase{"UnknownDepsAreIgnored",
                  "extension { name: 'a' deps: 'nope' } extension { name: 'b' }", {"a", "b"}},
        OrderCase{"CycleMembersAndTheirDependentsGoLastInOrder",
                  "extension { name: 'a' deps: 'b' } extension { name: 'z' deps: 'a' } "
                  "extension { name: 'b' deps: 'a' } extension { name: 'c' }",
                  {"c", "a", "z", "b"}},
        OrderCase{"SelfDependencyIsACycle",
                  "extension { name: 'a' deps: 'a' } extension { name: 'b' }", {"b", "a"}}),
    [](const ::testing::TestParamInfo<OrderCase>& info) { return info.param.test_name; });
// clang-format on

struct ValidOrderCase {
  const char* test_name;
  const char* manifest;
  Names order;
  Names unplaceable;
};

class SuggestValidOrderTest : public ::testing::TestWithParam<ValidOrderCase> {};

TEST_P(SuggestValidOrderTest, ListsEachNameOnceAndCycleMembersApart) {
  ValidOrder valid = SuggestValidOrder(Parse(GetParam().manifest));
  EXPECT_EQ(valid.order, GetParam().order);
  EXPECT_EQ(valid.unplaceable, GetParam().unplaceable);
}

// clang-format off
INSTANTIATE_TEST_SUITE_P(
    Orders, SuggestValidOrderTest,
    ::testing::Values(
        ValidOrderCase{"SameAsTheBlockOrderWithoutProblems",
                       "extension { name: 'x' } extension { name: 'a' deps: 'c' } "
                       "extension { name: 'b' } extension { name: 'c' }",
                       {"x", "b", "c", "a"}, {}},
        ValidOrderCase{"DuplicateIsListedOnceWithTheDepsOfBothBlocks",
                       "extension { name: 'a' } extension { name: 'b' } "
                       "extension { name: 'a' deps: 'b' }",
                       {"b", "a"}, {}},
        ValidOrderCase{"DuplicateAndSelfCycle",
                       "extension { name: 'a' deps: 'core' } extension { name: 'core' } "
                       "extension { name: 'a' } extension { name: 'c' deps: 'c' }",
                       {"core", "a"}, {"c"}},
        ValidOrderCase{"CycleMembersAndDependentsHaveNoPlace",
                       "extension { name: 'a' deps: 'b' } extension { name: 'z' deps: 'a' } "
                       "extension { name: 'b' deps: 'a' } extension { name: 'c' }",
                       {"c"}, {"a", "z", "b"}}),
    [](const ::testing::TestParamInfo<ValidOrderCase>& info) { return info.param.test_name; });
// clang-format on

constexpr char kUnordered[] =
    "# proto-file: format/manifest.proto\n"
    "# proto-message: v8snap.Manifest\n"
    "name: \"demo\"\n"
    "\n"
    "# web needs core.\n"
    "# (two comment lines)\n"
    "extension {\n"
    "  name: \"web\"\n"
    "  deps: \"core\"  # after core\n"
    "}\n"
    "\n"
    "# A note that is not attached: a blank line follows.\n"
    "\n"
    "# core: the base.\n"
    "extension { name: \"core\" }  # one line\n"
    "# trailing text\n";

TEST(ReorderManifestText, MovesBlocksWithTheirCommentsAndKeepsTheRest) {
  absl::StatusOr<std::string> reordered = ReorderManifestText(kUnordered, {"core", "web"});
  ASSERT_TRUE(reordered.ok()) << reordered.status();
  EXPECT_EQ(*reordered,
            "# proto-file: format/manifest.proto\n"
            "# proto-message: v8snap.Manifest\n"
            "name: \"demo\"\n"
            "\n"
            "# core: the base.\n"
            "extension { name: \"core\" }  # one line\n"
            "\n"
            "# A note that is not attached: a blank line follows.\n"
            "\n"
            "# web needs core.\n"
            "# (two comment lines)\n"
            "extension {\n"
            "  name: \"web\"\n"
            "  deps: \"core\"  # after core\n"
            "}\n"
            "# trailing text\n");
}

TEST(ReorderManifestText, ReparsesInTheSuggestedOrder) {
  const std::string text =
      "extension { name: \"a\" deps: \"c\" }\n"
      "# b\n"
      "extension { name: \"b\" }\n"
      "extension {\n  name: \"c\"\n  deps: [\"d\"]\n}\n"
      "extension { name: \"d\" }";  // No final newline.
  Names order = SuggestExtensionOrder(Parse(text));
  ASSERT_EQ(order, (Names{"b", "d", "c", "a"}));
  absl::StatusOr<std::string> reordered = ReorderManifestText(text, order);
  ASSERT_TRUE(reordered.ok()) << reordered.status();
  EXPECT_EQ(NamesIn(*reordered), order);
  EXPECT_EQ(reordered->back(), '}') << "no newline is added at the end";
  EXPECT_EQ(SuggestExtensionOrder(Parse(*reordered)), order) << "already in order: a fixpoint";
}

TEST(ReorderManifestText, HeaderTouchingTheFirstBlockStaysOnTop) {
  const std::string text =
      "# proto-file: format/manifest.proto\n"
      "extension { name: \"b\" deps: \"a\" }\n"
      "extension { name: \"a\" }\n";
  absl::StatusOr<std::string> reordered = ReorderManifestText(text, {"a", "b"});
  ASSERT_TRUE(reordered.ok()) << reordered.status();
  EXPECT_EQ(*reordered,
            "# proto-file: format/manifest.proto\n"
            "extension { name: \"a\" }\n"
            "extension { name: \"b\" deps: \"a\" }\n");
}

TEST(ReorderManifestText, SameOrderGivesTheSameText) {
  absl::StatusOr<std::string> same = ReorderManifestText(kUnordered, {"web", "core"});
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_EQ(*same, kUnordered);
}

TEST(ReorderManifestText, RefusesWhatItCannotDelimitOrMatch) {
  struct Case {
    const char* text;
    Names order;
    const char* words;
  };
  const Case cases[] = {
      {"extension { name: \"a\" } extension { name: \"b\" }\n", {"b", "a"}, "shares a line"},
      {"name: \"x\" extension { name: \"a\" }\n", {"a"}, "shares a line"},
      {"extension { name: \"a\" }\nextension { name: \"b\" }\n", {"a"}, "names 1 extensions"},
      {"extension { name: \"a\" }\nextension { name: \"b\" }\n", {"a", "a"}, "'a' more often"},
      {"extension { name: \"a\" \n", {"a"}, "does not parse"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<std::string> result = ReorderManifestText(c.text, c.order);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << c.text;
    EXPECT_NE(result.status().message().find(c.words), std::string::npos) << result.status();
  }
}

}  // namespace
}  // namespace v8snap
