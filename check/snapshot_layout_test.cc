// Unit tests for ComputeLayout: ids, reference names, and the ambiguity checks.
#include "check/snapshot_layout.h"

#include "gtest/gtest.h"

namespace v8snap {
namespace {

void OpA(const v8::FunctionCallbackInfo<v8::Value>&) {}
void OpB(const v8::FunctionCallbackInfo<v8::Value>& info) { info.GetReturnValue().Set(1); }
void OpC(const v8::FunctionCallbackInfo<v8::Value>& info) { info.GetReturnValue().Set(2); }

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
  // Three ops, V8's module namespace accessors, then V8's 0 terminator.
  ASSERT_EQ(layout->external_references.size(), 6u);
  EXPECT_EQ(layout->external_references[1], reinterpret_cast<intptr_t>(OpA));
  EXPECT_EQ(layout->external_references.back(), 0);
}

// V8 10.2's own table lacks the module namespace accessors; every layout carries them after the
// ops, found in the linked libnode, so `import * as ns` can be snapshotted.
TEST(SnapshotLayoutTest, V8sModuleNamespaceAccessorsFollowTheOps) {
  ExtensionRegistry registry = TwoExtensions();
  auto layout = ComputeLayout({"alpha"}, registry);
  ASSERT_TRUE(layout.ok()) << layout.status();
  const Layout& l = layout->layout;
  ASSERT_EQ(l.external_references_size(), 4);
  EXPECT_EQ(l.external_references(2).name(), "v8.Accessors::ModuleNamespaceEntryGetter");
  EXPECT_EQ(l.external_references(3).name(), "v8.Accessors::ModuleNamespaceEntrySetter");
  EXPECT_EQ(l.external_references(3).index(), 3u);
  EXPECT_EQ(l.external_references(3).kind(), ExternalReferenceRecord::V8_INTERNAL);
  EXPECT_NE(layout->external_references[2], 0);
  EXPECT_NE(layout->external_references[3], 0);
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

}  // namespace
}  // namespace v8snap
