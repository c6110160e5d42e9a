// End to end: the event loop through snapshot_run. Timer and microtask ordering, uncaught errors
// from callbacks, exiting when idle, disabled extensions and --relink. Scripts run on a
// snapshot of tests/fixtures/runtime/loop.textproto (core, console, timers, fs), built once.
#include <chrono>

#include "format/atomic_file.h"
#include "format/snapshot_files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kLoopManifest[] = "tests/fixtures/runtime/loop.textproto";

class RuntimeLoopTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    snapshot_dir_ = new TempDir();
    ToolResult build = RunTool("snapshot_builder", {"--manifest", SourcePath(kLoopManifest),
                                                    "--out", Snap()});
    ASSERT_EQ(build.exit_code, 0) << build.err;
  }
  static void TearDownTestSuite() {
    delete snapshot_dir_;
    snapshot_dir_ = nullptr;
  }
  static std::string Snap() { return snapshot_dir_->path() + "/loop.bin"; }

  // Runs `script` on the loop snapshot, configured by `manifest` (a source-tree path).
  ToolResult Run(const std::string& script, std::vector<std::string> extra = {},
                 const std::string& manifest = kLoopManifest) {
    std::vector<std::string> args = {"--snapshot", Snap(), "--manifest", SourcePath(manifest)};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(tmp_.Write("main.js", script));
    return RunTool("snapshot_run", args);
  }

  static TempDir* snapshot_dir_;
  TempDir tmp_;
};

TempDir* RuntimeLoopTest::snapshot_dir_ = nullptr;

// Each script logs through `log(...)`, which prints one line per call.
constexpr char kPrelude[] = "const log = (...a) => console.log(...a);\n";

struct Expectation {
  const char* what;
  const char* script;
  const char* out;
};

TEST_F(RuntimeLoopTest, TimerAndMicrotaskOrdering) {
  for (const Expectation& e : std::vector<Expectation>{
           {"microtasks run before any timer",
            "setTimeout(() => log('timeout'), 0);\n"
            "Promise.resolve().then(() => log('promise'));\n"
            "queueMicrotask(() => log('queueMicrotask'));\n"
            "log('sync');",
            "sync\npromise\nqueueMicrotask\ntimeout\n"},
           {"equal delays fire in the order they were set",
            "for (let i = 1; i <= 5; i++) setTimeout(() => log(i), 10);",
            "1\n2\n3\n4\n5\n"},
           {"0 counts as 1 ms, as in Node",
            "setTimeout(() => log('one'), 1); setTimeout(() => log('zero'), 0);",
            "one\nzero\n"},
           {"a shorter delay fires first",
            "setTimeout(() => log('slow'), 50); setTimeout(() => log('fast'), 1);",
            "fast\nslow\n"},
           {"a timer's microtasks run before the next timer",
            "setTimeout(() => { log('t1'); Promise.resolve().then(() => log('t1 micro')); }, 5);\n"
            "setTimeout(() => log('t2'), 5);",
            "t1\nt1 micro\nt2\n"},
           {"extra arguments reach the callback",
            "setTimeout((a, b) => log(a, b), 1, 'x', 2);\n"
            "let n = 0;\n"
            "const id = setInterval((s) => { log(s + ++n); if (n === 2) clearInterval(id); }, 1, "
            "'i');",
            "x 2\ni1\ni2\n"},
           {"setTimeout returns distinct positive numbers",
            "const a = setTimeout(() => {}), b = setInterval(() => {});\n"
            "log(typeof a, typeof b, a > 0, b > 0, a !== b);\n"
            "clearTimeout(a); clearInterval(b);",
            "number number true true true\n"},
           {"clearTimeout cancels; unknown ids are ignored",
            "const id = setTimeout(() => log('cancelled ran'), 1);\n"
            "clearTimeout(id); clearTimeout(id); clearTimeout(undefined); clearTimeout(12345);\n"
            "setTimeout(() => log('done'), 2);",
            "done\n"},
           {"an interval repeats until cleared from inside",
            "let n = 0;\n"
            "const id = setInterval(() => { log('tick', ++n); if (n === 3) clearInterval(id); }, "
            "1);",
            "tick 1\ntick 2\ntick 3\n"},
           {"clearTimeout clears an interval too (one set of ids)",
            "let n = 0;\n"
            "const id = setInterval(() => { log('tick', ++n); clearTimeout(id); }, 1);",
            "tick 1\n"},
           {"nested timers",
            "setTimeout(() => { log(1); setTimeout(() => { log(2); setTimeout(() => log(3)); "
            "}); });",
            "1\n2\n3\n"},
           {"top-level await on a timer",
            "await new Promise((resolve) => setTimeout(resolve, 5));\nlog('after await');",
            "after await\n"},
           {"queueMicrotask and promise reactions share one FIFO queue",
            "queueMicrotask(() => log('a'));\n"
            "Promise.resolve().then(() => log('b'));\n"
            "queueMicrotask(() => log('c'));",
            "a\nb\nc\n"},
           {"a non-function callback is a TypeError",
            "for (const f of [setTimeout, setInterval, queueMicrotask]) {\n"
            "  try { f('code'); } catch (e) { log(e.name); }\n"
            "}",
            "TypeError\nTypeError\nTypeError\n"},
           {"the functions are globals and an importable module",
            "import { setTimeout as st } from 'ext:timers/timers.js';\n"
            "log(st === globalThis.setTimeout, typeof clearInterval);",
            "true function\n"},
       }) {
    ToolResult r = Run(std::string(kPrelude) + e.script);
    EXPECT_EQ(r.exit_code, 0) << e.what << "\n" << r.err;
    EXPECT_EQ(r.out, e.out) << e.what;
  }
}

TEST_F(RuntimeLoopTest, ExceptionInATimerIsUncaughtAndStopsTheLoop) {
  ToolResult r = Run(
      "function boom() {\n"
      "  throw new Error('from a timer');\n"
      "}\n"
      "setTimeout(boom, 1);\n"
      "setTimeout(() => console.log('must not run'), 200);\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr(tmp_.path() + "/main.js:2:"));
  EXPECT_THAT(r.err, HasSubstr("Uncaught Error: from a timer"));
  EXPECT_THAT(r.err, HasSubstr("at boom ("));
}

TEST_F(RuntimeLoopTest, ExceptionInQueueMicrotaskIsUncaught) {
  ToolResult r = Run("queueMicrotask(() => null.x);\nsetTimeout(() => console.log('no'), 50);");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("Uncaught TypeError: Cannot read properties of null"));
}

TEST_F(RuntimeLoopTest, RejectionNobodyHandlesInATimerExits1) {
  ToolResult r = Run("setTimeout(() => Promise.reject(new Error('late')), 1);");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("Uncaught (in promise) Error: late"));
}

TEST_F(RuntimeLoopTest, MainModuleErrorStopsPendingTimers) {
  ToolResult r = Run("setTimeout(() => console.log('must not run'), 1);\nthrow new Error('main');");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("Uncaught Error: main"));
}

TEST_F(RuntimeLoopTest, ExitsWhenIdleAndNotBefore) {
  using Clock = std::chrono::steady_clock;
  Clock::time_point start = Clock::now();
  ToolResult waits = Run("setTimeout(() => console.log('waited'), 300);");
  double waited = std::chrono::duration<double>(Clock::now() - start).count();
  EXPECT_EQ(waits.exit_code, 0) << waits.err;
  EXPECT_EQ(waits.out, "waited\n");
  EXPECT_GE(waited, 0.3) << "the process left before its timer fired";

  // A cleared timer, a finished interval and settled ops keep nothing alive: if they did, this
  // would take a minute.
  start = Clock::now();
  ToolResult idle = Run(
      "const long = setTimeout(() => console.log('never'), 60000);\n"
      "clearTimeout(long);\n"
      "let n = 0;\n"
      "const id = setInterval(() => { if (++n === 2) clearInterval(id); }, 1);\n"
      "await v8snap.fs.stat('/').catch(() => {});\n"
      "console.log('end of script');");
  double idle_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  EXPECT_EQ(idle.exit_code, 0) << idle.err;
  EXPECT_EQ(idle.out, "end of script\n");
  EXPECT_LT(idle_seconds, 30) << "something kept the loop alive";
}

TEST_F(RuntimeLoopTest, DisabledExtensionKeepsItsPlaceButItsOpsThrow) {
  const std::string script =
      "console.log(typeof v8snap.fs.readTextFileSync);\n"
      "try { v8snap.fs.readTextFileSync('/etc/hostname'); } catch (e) { console.log(e.message); }\n"
      "await v8snap.fs.stat('/').catch((e) => console.log(e.message));\n"
      "setTimeout(() => console.log('timers still work'), 1);";
  const std::string expected =
      "function\n"
      "op op_fs_read_text_file_sync is disabled in this runtime (its extension has `enabled: "
      "false` in the runtime's manifest)\n"
      "op op_fs_stat is disabled in this runtime (its extension has `enabled: false` in the "
      "runtime's manifest)\n"
      "timers still work\n";
  const std::string manifest = "tests/fixtures/runtime/fs_disabled.textproto";
  // The snapshot was built with fs enabled: its wiring is the same, so it loads.
  ToolResult from_snapshot = Run(script, {"--allow-read"}, manifest);
  EXPECT_EQ(from_snapshot.exit_code, 0) << from_snapshot.err;
  EXPECT_EQ(from_snapshot.out, expected);

  ToolResult from_source = RunTool("snapshot_run", {"--no-snapshot", "--manifest",
                                                    SourcePath(manifest), "--allow-read",
                                                    tmp_.Write("main.js", script)});
  EXPECT_EQ(from_source.exit_code, 0) << from_source.err;
  EXPECT_EQ(from_source.out, expected);
}

// Every op of every extension used and checked, so a misbinding (op A calling B's C++) shows.
constexpr char kRelinkScript[] =
    "v8snap.core.print('print has no newline;');\n"
    "console.log(' console.log has one');\n"
    "v8snap.fs.writeTextFileSync('out.txt', 'written');\n"
    "console.log(v8snap.fs.readTextFileSync('out.txt'), (await v8snap.fs.stat('out.txt')).size);\n"
    "setTimeout((x) => console.log('timer', x), 1, 42);\n";
constexpr char kRelinkOut[] = "print has no newline; console.log has one\nwritten 7\ntimer 42\n";

TEST_F(RuntimeLoopTest, RelinkRunsASnapshotWhoseOrderDiffers) {
  // The script's relative paths are relative to the current folder: run in the temp folder.
  auto run = [&](const std::string& manifest, std::vector<std::string> extra) {
    std::vector<std::string> args = {"--snapshot", Snap(), "--manifest", SourcePath(manifest),
                                     "--allow-read=" + tmp_.path(),
                                     "--allow-write=" + tmp_.path()};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(tmp_.Write("main.js", kRelinkScript));
    return RunTool("snapshot_run", args, tmp_.path());
  };
  const std::string reordered = "tests/fixtures/runtime/reordered.textproto";

  ToolResult refused = run(reordered, {});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(refused.out, "");
  EXPECT_THAT(refused.err, HasSubstr("(extension order)"));

  ToolResult relinked = run(reordered, {"--relink"});
  EXPECT_EQ(relinked.exit_code, 0) << relinked.err;
  EXPECT_EQ(relinked.out, kRelinkOut);

  // The snapshot's own order needs no relinking, with or without the flag.
  for (auto extra : {std::vector<std::string>{}, std::vector<std::string>{"--relink"}}) {
    ToolResult same = run(kLoopManifest, extra);
    EXPECT_EQ(same.exit_code, 0) << same.err;
    EXPECT_EQ(same.out, kRelinkOut);
  }
}

TEST_F(RuntimeLoopTest, RelinkStillRefusesWhatIsMissing) {
  ToolResult r = Run("console.log('ran');", {"--relink"},
                     "tests/fixtures/runtime/reordered_without_fs.textproto");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("cannot be relinked to this runtime's extensions (extension "
                               "removed): extension 'fs' (position 3 in the snapshot) is missing "
                               "from this runtime"));
  EXPECT_THAT(r.err, HasSubstr("fix: rebuild the snapshot"));
}

TEST_F(RuntimeLoopTest, RelinkStillRefusesAChangedSignature) {
  // A snapshot of "another build" whose op_timer_start took 2 arguments.
  TempDir other;
  std::string snap = other.path() + "/other.bin";
  ASSERT_EQ(RunTool("snapshot_builder",
                    {"--manifest", SourcePath(kLoopManifest), "--out", snap})
                .exit_code,
            0);
  std::string sidecar_path = SidecarPathFor(snap);
  auto sidecar = DecodeSidecar(*ReadFileToString(sidecar_path), sidecar_path);
  ASSERT_TRUE(sidecar.ok()) << sidecar.status();
  for (OpRecord& op : *sidecar->mutable_layout()->mutable_ops()) {
    if (op.name() == "op_timer_start") op.set_arity(2);
  }
  ASSERT_TRUE(WriteFileAtomically(sidecar_path, EncodeSidecar(*sidecar)).ok());
  ToolResult r = RunTool("snapshot_run",
                         {"--snapshot", snap, "--manifest",
                          SourcePath("tests/fixtures/runtime/reordered.textproto"), "--relink",
                          tmp_.Write("main.js", "console.log('ran');")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("(op signature): op 'op_timer_start' changed signature: sync, "
                               "arity 2 in the snapshot, sync, arity 3 in this runtime"));
}

TEST_F(RuntimeLoopTest, PermissionFlagUsageErrorsExit2) {
  EXPECT_EQ(Run("1;", {"--allow-read="}).exit_code, 2);
  EXPECT_EQ(Run("1;", {"--allow-write="}).exit_code, 2);
  ToolResult help = RunTool("snapshot_run", {"--help"});
  EXPECT_THAT(help.out, HasSubstr("--allow-read[=PATH,...]"));
  EXPECT_THAT(help.out, HasSubstr("--relink"));
  EXPECT_THAT(help.out, Not(HasSubstr("{*}")));
}

}  // namespace
}  // namespace v8snap::testing
