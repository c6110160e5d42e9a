// End to end: every way a snapshot can disagree with the runtime is refused before V8 runs,
// with the culprit, its position, both sides and the fix. Mismatches of extension order come from
// real manifests; op- and reference-level ones from a sidecar of "another build" (rewritten here
// with a valid checksum, exactly what a builder linked with other ops would have written).
#include <functional>
#include <string>

#include "compat/v8_compat.h"
#include "format/atomic_file.h"
#include "format/snapshot_files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class MismatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ToolResult build = RunTool(
        "snapshot_builder",
        {"--manifest", SourcePath("tests/fixtures/core_console.textproto"), "--out", Snap()});
    ASSERT_EQ(build.exit_code, 0) << build.err;
    script_ = tmp_.Write("main.js", "console.log('ran');");
  }
  std::string Snap() const { return tmp_.path() + "/snap.bin"; }
  ToolResult RunWith(const std::string& manifest) {
    return RunTool("snapshot_run",
                   {"--snapshot", Snap(), "--manifest", SourcePath(manifest), script_});
  }
  ToolResult RunMatching() { return RunWith("tests/fixtures/core_console.textproto"); }
  void RewriteSidecar(const std::function<void(Sidecar&)>& change) {
    std::string path = SidecarPathFor(Snap());
    auto sidecar = DecodeSidecar(*ReadFileToString(path), path);
    ASSERT_TRUE(sidecar.ok()) << sidecar.status();
    change(*sidecar);
    ASSERT_TRUE(WriteFileAtomically(path, EncodeSidecar(*sidecar)).ok());
  }
  // Every refusal: exit 1, nothing of the script ran, and the message says how to fix it.
  void ExpectRefused(const ToolResult& r) {
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "") << "the script must not run";
    EXPECT_THAT(r.err, HasSubstr("snap.bin"));
  }
  TempDir tmp_;
  std::string script_;
};

TEST_F(MismatchTest, MatchingRuntimeRuns) {
  ToolResult r = RunMatching();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "ran\n");
}

TEST_F(MismatchTest, ExtensionOrderDiffers) {
  ToolResult r = RunWith("tests/fixtures/console_core.textproto");
  ExpectRefused(r);
  EXPECT_THAT(r.err, HasSubstr("(extension order): extension 'core' is out of order: position 0 "
                               "in the snapshot, position 1"));
  EXPECT_THAT(r.err, HasSubstr("Loading it would bind ops to the wrong C++ functions"));
  // Both fixes work here: this binary, listing the extensions as the snapshot does, matches it.
  EXPECT_THAT(r.err, HasSubstr("fix: rebuild the snapshot from the runtime's manifest "
                               "(snapshot_builder --manifest " +
                               SourcePath("tests/fixtures/console_core.textproto") + " --out " +
                               Snap() + ")"));
  EXPECT_THAT(r.err, HasSubstr("or configure the runtime with the snapshot's extensions, in its "
                               "order: core, console."));
}

TEST_F(MismatchTest, ExtensionMissingFromRuntime) {
  ToolResult r = RunWith("tests/fixtures/core_only.textproto");
  ExpectRefused(r);
  EXPECT_THAT(r.err, HasSubstr("extension 'console' (position 1 in the snapshot) is missing from "
                               "this runtime"));
}

TEST_F(MismatchTest, ExtraExtensionInRuntime) {
  ToolResult r = RunWith("tests/fixtures/core_console_extra.textproto");
  ExpectRefused(r);
  EXPECT_THAT(r.err, HasSubstr("extension 'greeting' (position 2 in this runtime) is not in the "
                               "snapshot"));
  // 'greeting' is JS-only: no op would be misbound, but the snapshot lacks its JS.
  EXPECT_THAT(r.err, HasSubstr("Every op would still bind to its own C++ function (the extensions "
                               "that differ are JS-only), but the JS in the snapshot is not the JS "
                               "this runtime expects"));
  EXPECT_THAT(r.err, Not(HasSubstr("wrong C++ functions")));
  EXPECT_THAT(r.err, HasSubstr("or configure the runtime with the snapshot's extensions, in its "
                               "order: core, console."));
}

// A JS-only extension the snapshot adds is layered on top by default (tests/
// layered_snapshot_test.cc); --exact-extensions refuses it.
TEST_F(MismatchTest, JsOnlyExtensionMissingFromRuntime) {
  ToolResult build = RunTool(
      "snapshot_builder",
      {"--manifest", SourcePath("tests/fixtures/core_console_extra.textproto"), "--out", Snap()});
  ASSERT_EQ(build.exit_code, 0) << build.err;
  ToolResult layered = RunMatching();
  EXPECT_EQ(layered.exit_code, 0) << layered.err;
  EXPECT_EQ(layered.out, "ran\n");
  ToolResult r = RunTool("snapshot_run",
                         {"--snapshot", Snap(), "--exact-extensions", "--manifest",
                          SourcePath("tests/fixtures/core_console.textproto"), script_});
  ExpectRefused(r);
  EXPECT_THAT(r.err, HasSubstr("extension 'greeting' (position 2 in the snapshot) is missing from "
                               "this runtime"));
  EXPECT_THAT(r.err, HasSubstr("but the JS in the snapshot is not the JS this runtime expects"));
  EXPECT_THAT(r.err, Not(HasSubstr("wrong C++ functions")));
  EXPECT_THAT(r.err, HasSubstr("in its order: core, console, greeting."));
}

// An op-level difference (another build's ops): reordering the runtime's extensions cannot fix
// it, so the fix says so and offers only a rebuild with this runtime's builder.
void ExpectOnlyARebuildHelps(const ToolResult& r) {
  EXPECT_THAT(r.err, HasSubstr("Loading it would bind ops to the wrong C++ functions"));
  EXPECT_THAT(r.err, HasSubstr("fix: this binary's ops differ from those of the builder that made "
                               "the snapshot, so listing the extensions differently cannot help: "
                               "rebuild the snapshot with this runtime's builder (snapshot_builder "
                               "--manifest " +
                               SourcePath("tests/fixtures/core_console.textproto") + " --out "));
  EXPECT_THAT(r.err, HasSubstr("or load it with the runtime binary that goes with the builder "
                               "that made it."));
  EXPECT_THAT(r.err, Not(HasSubstr("configure the runtime")));
}

TEST_F(MismatchTest, OpRemovedFromRuntime) {
  int id = 0;
  RewriteSidecar([&id](Sidecar& s) {
    id = s.layout().ops_size();  // an id of its own: two ops at one id is a malformed layout
    OpRecord* op = s.mutable_layout()->add_ops();
    op->set_id(id);
    op->set_name("op_console_table");
    op->set_extension("console");
    op->set_arity(1);
  });
  ToolResult r = RunMatching();
  ExpectRefused(r);
  EXPECT_THAT(r.err, HasSubstr("(op removed): op 'op_console_table' (id " + std::to_string(id) +
                               " in extension 'console' in the snapshot) is missing from this "
                               "runtime"));
  ExpectOnlyARebuildHelps(r);
}

TEST_F(MismatchTest, OpAddedInRuntime) {
  std::string last_op;
  RewriteSidecar([&last_op](Sidecar& s) {
    last_op = s.layout().ops(s.layout().ops_size() - 1).name();
    s.mutable_layout()->mutable_ops()->RemoveLast();
    s.mutable_layout()->mutable_external_references()->RemoveLast();
  });
  ToolResult r = RunMatching();
  ExpectRefused(r);
  EXPECT_THAT(r.err, HasSubstr("(op added): op '" + last_op + "'"));
}

TEST_F(MismatchTest, OpRenamed) {
  RewriteSidecar([](Sidecar& s) { s.mutable_layout()->mutable_ops(1)->set_name("op_write"); });
  ToolResult r = RunMatching();
  ExpectRefused(r);
  EXPECT_THAT(r.err, HasSubstr("op at id 1 is named 'op_write' in the snapshot but "
                               "'op_console_write' in this runtime"));
  ExpectOnlyARebuildHelps(r);
}

TEST_F(MismatchTest, OpMoved) {
  RewriteSidecar([](Sidecar& s) {
    // The first two ops in the other order, as a builder declaring them so would write them.
    s.mutable_layout()->mutable_ops(0)->set_id(1);
    s.mutable_layout()->mutable_ops(1)->set_id(0);
    s.mutable_layout()->mutable_ops()->SwapElements(0, 1);
  });
  ToolResult r = RunMatching();
  ExpectRefused(r);
  EXPECT_THAT(r.err, HasSubstr("op 'op_console_write' moved: id 0 in extension 'console' in the "
                               "snapshot, id 1 in extension 'console' in this runtime"));
  ExpectOnlyARebuildHelps(r);
}

TEST_F(MismatchTest, OpArityChanged) {
  RewriteSidecar([](Sidecar& s) { s.mutable_layout()->mutable_ops(0)->set_arity(3); });
  ToolResult r = RunMatching();
  ExpectRefused(r);
  EXPECT_THAT(r.err, HasSubstr("op 'op_print' changed signature: sync, arity 3 in the snapshot, "
                               "sync, arity 2 in this runtime"));
  ExpectOnlyARebuildHelps(r);
}

TEST_F(MismatchTest, OpSyncAsyncChanged) {
  RewriteSidecar([](Sidecar& s) { s.mutable_layout()->mutable_ops(1)->set_is_async(true); });
  ToolResult r = RunMatching();
  ExpectRefused(r);
  EXPECT_THAT(r.err, HasSubstr("async, arity 2 in the snapshot, sync, arity 2 in this runtime"));
}

TEST_F(MismatchTest, ExternalReferenceTableDiffers) {
  RewriteSidecar([](Sidecar& s) {
    s.mutable_layout()->mutable_external_references(0)->set_name("core.op_print_v2");
  });
  ToolResult r = RunMatching();
  ExpectRefused(r);
  EXPECT_THAT(r.err, HasSubstr("external reference #0 differs: 'core.op_print_v2'"));
}

TEST_F(MismatchTest, V8VersionDiffers) {
  RewriteSidecar([](Sidecar& s) { s.set_v8_version("11.3.244.8"); });
  ToolResult r = RunMatching();
  ExpectRefused(r);
  EXPECT_THAT(r.err,
              HasSubstr(std::string("was built with V8 11.3.244.8, but this runtime is linked "
                                    "with V8 ") +
                        compat::kV8MajorMinor + "."));
}

TEST_F(MismatchTest, UnknownSidecarFormatVersion) {
  std::string path = SidecarPathFor(Snap());
  SidecarFile file;
  ASSERT_TRUE(file.ParseFromString(*ReadFileToString(path)));
  file.set_format_version(7);
  ASSERT_TRUE(WriteFileAtomically(path, file.SerializeAsString()).ok());
  ToolResult r = RunMatching();
  ExpectRefused(r);
  EXPECT_THAT(r.err, HasSubstr("has format version 7, but this v8snap reads version 1"));
}

TEST_F(MismatchTest, BlobAndSidecarOfDifferentBuilds) {
  TempDir other;
  ASSERT_EQ(
      RunTool("snapshot_builder", {"--manifest", SourcePath("tests/fixtures/core_only.textproto"),
                                   "--out", other.path() + "/snap.bin"})
          .exit_code,
      0);
  ASSERT_TRUE(WriteFileAtomically(Snap(), *ReadFileToString(other.path() + "/snap.bin")).ok());
  ToolResult r = RunMatching();
  ExpectRefused(r);
  EXPECT_THAT(r.err, HasSubstr("not from the same build"));
}

TEST_F(MismatchTest, CorruptBlobByteIsRefused) {
  std::string blob = *ReadFileToString(Snap());
  blob[blob.size() / 2] ^= 0x10;
  ASSERT_TRUE(WriteFileAtomically(Snap(), blob).ok());
  ToolResult r = RunMatching();
  ExpectRefused(r);
  EXPECT_THAT(r.err, HasSubstr("has XXH3-128"));
}

TEST_F(MismatchTest, TruncatedBlobIsRefused) {
  std::string blob = *ReadFileToString(Snap());
  ASSERT_TRUE(WriteFileAtomically(Snap(), blob.substr(0, blob.size() - 100)).ok());
  ToolResult r = RunMatching();
  ExpectRefused(r);
  EXPECT_THAT(r.err, HasSubstr("bytes, but its sidecar records"));
}

TEST_F(MismatchTest, CorruptSidecarIsRefused) {
  std::string path = SidecarPathFor(Snap());
  std::string bytes = *ReadFileToString(path);
  bytes[bytes.size() - 5] ^= 0x01;
  ASSERT_TRUE(WriteFileAtomically(path, bytes).ok());
  ToolResult r = RunMatching();
  ExpectRefused(r);
  EXPECT_THAT(r.err, HasSubstr("is corrupt"));
}

TEST_F(MismatchTest, EmptyAndMissingFilesAreRefused) {
  ASSERT_TRUE(WriteFileAtomically(SidecarPathFor(Snap()), "").ok());
  ToolResult empty = RunMatching();
  ExpectRefused(empty);
  EXPECT_THAT(empty.err, HasSubstr("the file is empty"));
  ToolResult missing = RunTool("snapshot_run", {"--snapshot", tmp_.path() + "/none.bin", script_});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("no snapshot blob at '" + tmp_.path() + "/none.bin'"));
}

TEST_F(MismatchTest, RawV8BlobWithoutSidecarIsRefused) {
  std::remove(SidecarPathFor(Snap()).c_str());
  ToolResult r = RunMatching();
  ExpectRefused(r);
  EXPECT_THAT(r.err, HasSubstr("only loads blobs written by snapshot_builder"));
}

}  // namespace
}  // namespace v8snap::testing
