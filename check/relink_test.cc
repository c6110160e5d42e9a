// RelinkLayout: only the order may differ; everything else is refused naming the culprit.
#include "check/relink.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v8snap {
namespace {

using ::testing::HasSubstr;

// Distinct bodies, so no compiler folds two into one address.
void A1(const v8::FunctionCallbackInfo<v8::Value>& info) { info.GetReturnValue().Set(1); }
void A2(const v8::FunctionCallbackInfo<v8::Value>& info) { info.GetReturnValue().Set(2); }
void B1(const v8::FunctionCallbackInfo<v8::Value>& info) { info.GetReturnValue().Set(3); }

class RelinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_.Register({"a", {{"op_a1", A1, 1, OpMode::kSync}, {"op_a2", A2, 2, OpMode::kAsync}}});
    registry_.Register({"b", {{"op_b1", B1, 0, OpMode::kSync}}});
  }
  RuntimeLayout Layout(const std::vector<std::string>& extensions) {
    absl::StatusOr<RuntimeLayout> layout = ComputeLayout(extensions, registry_);
    EXPECT_TRUE(layout.ok()) << layout.status();
    return *layout;
  }
  ExtensionRegistry registry_;
};

TEST_F(RelinkTest, OtherOrderIsBoundByNameInTheSnapshotsOrder) {
  RuntimeLayout snapshot = Layout({"a", "b", "js_only"});
  RuntimeLayout runtime = Layout({"b", "js_only", "a"});
  ASSERT_NE(snapshot.external_references, runtime.external_references);
  absl::StatusOr<RuntimeLayout> relinked = RelinkLayout(snapshot.layout, runtime);
  ASSERT_TRUE(relinked.ok()) << relinked.status();
  EXPECT_EQ(relinked->external_references, snapshot.external_references);
  EXPECT_EQ(relinked->ops, snapshot.ops);
  EXPECT_EQ(relinked->layout.SerializeAsString(), snapshot.layout.SerializeAsString());
}

TEST_F(RelinkTest, SameOrderIsUnchanged) {
  RuntimeLayout layout = Layout({"a", "b"});
  absl::StatusOr<RuntimeLayout> relinked = RelinkLayout(layout.layout, layout);
  ASSERT_TRUE(relinked.ok()) << relinked.status();
  EXPECT_EQ(relinked->external_references, layout.external_references);
}

TEST_F(RelinkTest, AnythingButTheOrderIsRefused) {
  struct Case {
    const char* what;
    std::vector<std::string> snapshot_extensions;
    std::vector<std::string> runtime_extensions;
    void (*change_snapshot)(v8snap::Layout&);
    const char* error;
  };
  for (const Case& c : std::vector<Case>{
           {"extension missing", {"a", "b"}, {"b"}, nullptr,
            "(extension removed): extension 'a' (position 0 in the snapshot) is missing from "
            "this runtime"},
           {"extension added", {"a"}, {"b", "a"}, nullptr,
            "(extension added): extension 'b' (position 0 in this runtime) is not in the "
            "snapshot"},
           {"arity changed", {"a", "b"}, {"b", "a"},
            [](v8snap::Layout& l) { l.mutable_ops(0)->set_arity(5); },
            "(op signature): op 'op_a1' changed signature: sync, arity 5 in the snapshot, sync, "
            "arity 1 in this runtime"},
           {"sync/async changed", {"a", "b"}, {"b", "a"},
            [](v8snap::Layout& l) { l.mutable_ops(1)->set_is_async(false); },
            "op 'op_a2' changed signature: sync, arity 2 in the snapshot, async, arity 2"},
           {"op moved to another extension", {"a", "b"}, {"b", "a"},
            [](v8snap::Layout& l) { l.mutable_ops(2)->set_extension("a"); },
            "(op moved): op 'op_b1' moved: id 2 in extension 'a' in the snapshot, id 0 in "
            "extension 'b' in this runtime"},
           {"reference kind changed", {"a", "b"}, {"b", "a"},
            [](v8snap::Layout& l) {
              l.mutable_external_references(1)->set_kind(ExternalReferenceRecord::OP_FAST_CALL);
            },
            "(external reference): external reference #1 differs: 'a.op_a2' (OP_FAST_CALL) in "
            "the snapshot, 'a.op_a2' (OP_CALLBACK) in this runtime"},
           {"reference renamed", {"a", "b"}, {"b", "a"},
            [](v8snap::Layout& l) { l.mutable_external_references(2)->set_name("b.op_b1_v2"); },
            "external reference #2 differs: 'b.op_b1_v2' (OP_CALLBACK) in the snapshot, absent "
            "in this runtime"},
       }) {
    RuntimeLayout snapshot = Layout(c.snapshot_extensions);
    if (c.change_snapshot != nullptr) c.change_snapshot(snapshot.layout);
    absl::StatusOr<RuntimeLayout> relinked =
        RelinkLayout(snapshot.layout, Layout(c.runtime_extensions));
    ASSERT_FALSE(relinked.ok()) << c.what;
    EXPECT_EQ(relinked.status().code(), absl::StatusCode::kFailedPrecondition) << c.what;
    EXPECT_THAT(relinked.status().message(), HasSubstr(c.error)) << c.what;
  }
}

}  // namespace
}  // namespace v8snap
