// Unit tests for ComputeLayout: ids, reference names, and the ambiguity checks.
#include "check/snapshot_layout.h"

#include "check/v8_internal_references.h"
#include "compat/v8_table_gaps.h"
#include "gtest/gtest.h"

namespace v8snap {
namespace {

void OpA(const v8::FunctionCallbackInfo<v8::Value>&) {}
void OpB(const v8::FunctionCallbackInfo<v8::Value>& info) { info.GetReturnValue().Set(1); }
void OpC(const v8::FunctionCallbackInfo<v8::Value>& info) { info.GetReturnValue().Set(2); }
void OpD(const v8::FunctionCallbackInfo<v8::Value>& info) { info.GetReturnValue().Set(3); }

ExtensionRegistry TwoExtensions() {
  ExtensionRegistry registry;
  registry.Register({"alpha", {{"op_a", OpA, 1, OpMode::kSync}, {"op_b", OpB, 2, OpMode::kAsync}}});
  registry.Register({"beta", {{"op_c", OpC, 0, OpMode::kSync}}});
  return registry;
}

TEST(SnapshotLayoutTest, IdsFollowExtensionOrderThenDeclarationOrder) {
  ExtensionRegistry registry = TwoExtensions();
  auto layout = ComputeLayout({"beta", "js_only", "alpha"}, registry);
  ASSERT_TRUE(layout.ok()) << layout.status();
  const Layout& l = layout->layout;
  ASSERT_EQ(l.extensions_size(), 3);
  EXPECT_EQ(l.extensions(1), "js_only");
  ASSERT_EQ(l.ops_size(), 3);
  EXPECT_EQ(l.ops(0).name(), "op_c");
  EXPECT_EQ(l.ops(1).name(), "op_a");
  EXPECT_EQ(l.ops(2).name(), "op_b");
  EXPECT_TRUE(l.ops(2).is_async());
  EXPECT_EQ(l.ops(2).arity(), 2);
  EXPECT_EQ(l.external_references(1).name(), "alpha.op_a");
  EXPECT_EQ(l.ops(1).external_reference_indexes(0), 1u);
  // Three ops, what the linked V8's own table lacks (V8 10.2: its module namespace accessors),
  // then V8's 0 terminator.
  ASSERT_EQ(layout->external_references.size(), 3 + compat::kV8TableGaps.size() + 1);
  EXPECT_EQ(layout->external_references[1], reinterpret_cast<intptr_t>(OpA));
  EXPECT_EQ(layout->external_references.back(), 0);
}

// What the linked V8's own table lacks (compat/v8_table_gaps.h: V8 10.2's module namespace
// accessors, so `import * as ns` can be snapshotted; nothing on 13.6, whose table lists them)
// follows the ops in every layout, found in the linked libnode.
TEST(SnapshotLayoutTest, V8sMissingReferencesFollowTheOps) {
  ExtensionRegistry registry = TwoExtensions();
  auto layout = ComputeLayout({"alpha"}, registry);
  ASSERT_TRUE(layout.ok()) << layout.status();
  const Layout& l = layout->layout;
  ASSERT_EQ(V8InternalReferences().size(), compat::kV8TableGaps.size())
      << "the linked libnode does not export every function its V8's table lacks";
  ASSERT_EQ(l.external_references_size(), 2 + static_cast<int>(compat::kV8TableGaps.size()));
  for (size_t i = 0; i < compat::kV8TableGaps.size(); ++i) {
    const int index = 2 + static_cast<int>(i);
    EXPECT_EQ(l.external_references(index).name(), compat::kV8TableGaps[i].name);
    EXPECT_EQ(l.external_references(index).name().rfind("v8.", 0), 0u);  // V8's, by its name
    EXPECT_EQ(l.external_references(index).index(), static_cast<uint32_t>(index));
    EXPECT_EQ(l.external_references(index).kind(), ExternalReferenceRecord::V8_INTERNAL);
    EXPECT_NE(layout->external_references[index], 0);
  }
}

TEST(SnapshotLayoutTest, DuplicateOpNamesAreRefused) {
  ExtensionRegistry registry;
  registry.Register({"one", {{"op_x", OpA, 0, OpMode::kSync}}});
  registry.Register({"two", {{"op_x", OpB, 0, OpMode::kSync}}});
  auto layout = ComputeLayout({"one", "two"}, registry);
  ASSERT_FALSE(layout.ok());
  EXPECT_NE(layout.status().message().find("'one' and extension 'two'"), std::string::npos);
}

TEST(SnapshotLayoutTest, SharedAddressesAreRefused) {
  ExtensionRegistry registry;
  registry.Register({"one", {{"op_x", OpA, 0, OpMode::kSync}, {"op_y", OpA, 0, OpMode::kSync}}});
  auto layout = ComputeLayout({"one"}, registry);
  ASSERT_FALSE(layout.ok());
  EXPECT_NE(layout.status().message().find("identical-code folding"), std::string::npos);
}

// A fast op's C function and type description follow its callback (kinds OP_FAST_CALL and
// OP_FAST_CALL_INFO); two fast ops may share a description (one per signature) but not a
// function. The FastCalls are made by hand: the layout never calls V8, on either V8.
TEST(SnapshotLayoutTest, FastOpsAddTheirFunctionAndDescriptionAfterTheCallback) {
  static const int kInfo = 0;
  compat::FastCall fast_a{reinterpret_cast<const void*>(&OpB), &kInfo};
  compat::FastCall fast_b{reinterpret_cast<const void*>(&OpC), &kInfo};
  ExtensionRegistry registry;
  registry.Register({"one", {{"op_x", OpA, 1, OpMode::kSync, fast_a}, {"op_y", OpD, 1}}});
  auto layout = ComputeLayout({"one"}, registry);
  ASSERT_TRUE(layout.ok()) << layout.status();
  const Layout& l = layout->layout;
  ASSERT_EQ(l.ops(0).external_reference_indexes_size(), 3);
  EXPECT_EQ(l.external_references(1).name(), "one.op_x.fast");
  EXPECT_EQ(l.external_references(1).kind(), ExternalReferenceRecord::OP_FAST_CALL);
  EXPECT_EQ(l.external_references(2).name(), "one.op_x.fast_info");
  EXPECT_EQ(l.external_references(2).kind(), ExternalReferenceRecord::OP_FAST_CALL_INFO);
  EXPECT_EQ(layout->external_references[1], reinterpret_cast<intptr_t>(&OpB));
  EXPECT_EQ(layout->external_references[2], reinterpret_cast<intptr_t>(&kInfo));
  EXPECT_EQ(l.ops(1).external_reference_indexes(0), 3u);

  ExtensionRegistry same_info;
  same_info.Register({"one", {{"op_x", OpA, 1, OpMode::kSync, fast_a},
                              {"op_y", OpD, 1, OpMode::kSync, fast_b}}});
  EXPECT_TRUE(ComputeLayout({"one"}, same_info).ok()) << "one description, two functions";

  ExtensionRegistry same_function;
  same_function.Register({"one", {{"op_x", OpA, 1, OpMode::kSync, fast_a},
                                  {"op_y", OpD, 1, OpMode::kSync, fast_a}}});
  auto refused = ComputeLayout({"one"}, same_function);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("'one.op_x.fast' and 'one.op_y.fast'"),
            std::string::npos);
}

}  // namespace
}  // namespace v8snap
