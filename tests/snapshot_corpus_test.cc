// The snapshot edge-case corpus (issue 11): one row per file in tests/corpus/*.row, one TEST per
// row. Each row is a scenario ported from a peer's snapshot suite (Node's
// test/parallel/test-snapshot-*.js and test/fixtures/snapshot/, deno_core's
// core/runtime/tests/snapshot.rs, V8's test/cctest/test-serialize.cc), its expected build
// outcome (ok, or refused with exit 1 and a message holding given words) and, for ok builds, a
// run script and the output Node prints for the same code run from source. An ok row is built
// by snapshot_builder on the default runtime's extensions plus the row's JS-only extensions,
// then run by snapshot_run from the snapshot AND from source (--no-snapshot): both must print
// the expected output. A row may expect other things of each V8 ("KEY@13:", "--- NAME@13").
// Every outcome is classified (survived, refused, abort, wrong, documented difference) and the
// binary ends with the counts for the V8 it runs on ("corpus on V8 13.6: N survived, N refused,
// N aborts, N wrong, ..."). tests/corpus/README.md describes the row format.
#include <dirent.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/tool_runner.h"

namespace v8snap::testing {
namespace {

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::vector<std::string> Split(const std::string& s, const std::string& sep) {
  std::vector<std::string> parts;
  size_t at = 0;
  while (true) {
    size_t next = s.find(sep, at);
    std::string part =
        Trim(s.substr(at, next == std::string::npos ? std::string::npos : next - at));
    if (!part.empty()) parts.push_back(part);
    if (next == std::string::npos) break;
    at = next + sep.size();
  }
  return parts;
}

// Re-encodes UTF-8 text (a row file is UTF-8) as `encoding`: "latin1" (every character must be
// below U+0100) or "utf-16le" (with a byte-order mark; BMP only). Used for the encoding rows.
std::string Encode(const std::string& utf8, const std::string& encoding) {
  std::vector<unsigned> cps;
  for (size_t i = 0; i < utf8.size();) {
    unsigned char c = utf8[i];
    unsigned cp = c;
    int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    if (extra) cp = c & (0x3F >> extra);
    for (int k = 1; k <= extra && i + k < utf8.size(); ++k) cp = (cp << 6) | (utf8[i + k] & 0x3F);
    cps.push_back(cp);
    i += 1 + extra;
  }
  std::string out;
  if (encoding == "latin1") {
    for (unsigned cp : cps) out.push_back(static_cast<char>(cp & 0xFF));
  } else if (encoding == "utf-16le") {
    out = "\xFF\xFE";
    for (unsigned cp : cps) {
      out.push_back(static_cast<char>(cp & 0xFF));
      out.push_back(static_cast<char>((cp >> 8) & 0xFF));
    }
  } else {
    out = utf8;
  }
  return out;
}

struct File {
  std::string name;
  std::string contents;
};

// The linked V8, from `snapshot_run --version` ("... V8 13.6.233.17-node.63"): its major
// version and "13.6".
struct LinkedV8 {
  int major = 0;
  std::string major_minor;
};
const LinkedV8& Linked() {
  static const LinkedV8 linked = [] {
    LinkedV8 v8;
    ToolResult r = RunTool("snapshot_run", {"--version"});
    size_t at = r.out.find("V8 ");
    if (at == std::string::npos) return v8;
    v8.major = std::atoi(r.out.c_str() + at + 3);
    size_t second_dot = r.out.find('.', r.out.find('.', at) + 1);
    v8.major_minor = r.out.substr(
        at + 3, second_dot == std::string::npos ? std::string::npos : second_dot - at - 3);
    return v8;
  }();
  return linked;
}

// "KEY@13" (a header) or "NAME@13" (a section) holds for V8 13 only: the key or name, and
// whether it applies to the V8 `major` (always, without "@").
std::pair<std::string, bool> ForV8(const std::string& key, int major) {
  size_t at = key.find('@');
  if (at == std::string::npos) return {key, true};
  return {key.substr(0, at), std::atoi(key.c_str() + at + 1) == major};
}

// One row of the corpus, parsed from tests/corpus/NAME.row.
struct Row {
  std::string name;  // the file's stem: the test's name
  std::string path;
  std::map<std::string, std::string> headers;  // source, build, build-error, ... (README.md)
  std::string manifest;                        // the row's extensions, after the default ones
  std::vector<File> files;                     // sources, written beside the manifest
  std::string main;                            // the run script
  std::string expect;                          // the expected stdout of every run
  bool has_main = false;
  std::string error;  // a malformed row

  std::string Header(const std::string& key, const std::string& fallback = "") const {
    auto it = headers.find(key);
    return it == headers.end() ? fallback : it->second;
  }
};

// Parses the row as it holds for the V8 `major`: a "KEY@N:" header or a "--- NAME@N" section
// replaces KEY or NAME on V8 N and is ignored on every other V8.
Row ParseRow(const std::string& path, const std::string& name, int major) {
  Row row;
  row.name = name;
  row.path = path;
  std::string text = ReadWholeFile(path);
  std::istringstream in(text);
  std::string line;
  std::string section;  // empty: headers
  std::string section_args;
  std::string body;
  std::set<std::string> versioned;  // keys and sections given for this V8: they win
  auto flush = [&] {
    if (section.empty()) return;
    auto [base, applies] = ForV8(section, major);
    if (!applies) return;
    if (base != section) {
      versioned.insert("--- " + base);
    } else if (versioned.count("--- " + base)) {
      return;
    }
    section = base;
    if (section == "manifest") {
      row.manifest = body;
    } else if (section == "main.js") {
      row.main = body;
      row.has_main = true;
    } else if (section == "expect") {
      row.expect = body;
    } else {
      for (auto it = row.files.begin(); it != row.files.end(); ++it) {
        if (it->name == section) {
          row.files.erase(it);
          break;
        }
      }
      row.files.push_back({section, Encode(body, section_args)});
    }
  };
  while (std::getline(in, line)) {
    if (line.rfind("--- ", 0) == 0) {
      flush();
      std::vector<std::string> words = Split(line.substr(4), " ");
      section = words.empty() ? "" : words[0];
      section_args = words.size() > 1 ? words[1] : "";
      body.clear();
      continue;
    }
    if (section.empty()) {
      if (Trim(line).empty() || line[0] == '#') continue;
      size_t colon = line.find(':');
      if (colon == std::string::npos) {
        row.error = "header line without 'key: value': " + line;
        continue;
      }
      auto [key, applies] = ForV8(Trim(line.substr(0, colon)), major);
      if (!applies) continue;
      std::string value = Trim(line.substr(colon + 1));
      if (key != Trim(line.substr(0, colon))) {
        // The first KEY@N line replaces what KEY said; later ones continue it.
        if (versioned.insert(key).second) row.headers.erase(key);
      } else if (versioned.count(key)) {
        continue;
      }
      std::string& header = row.headers[key];
      header += header.empty() || value.empty() ? value : " " + value;  // continued
    } else {
      body += line + "\n";
    }
  }
  flush();
  if (row.manifest.empty()) {
    row.manifest = "extension { name: \"app\" deps: [\"core\", \"console\"] esm: \"app.js\" }\n";
  }
  std::string build = row.Header("build");
  if (build != "ok" && build != "refused") row.error = "build: must be ok or refused";
  if (build == "ok" && !row.has_main) row.error = "an ok row needs a '--- main.js' section";
  if (build == "refused" && row.Header("build-error").empty()) {
    row.error = "a refused row needs 'build-error: words | words'";
  }
  if (row.Header("source").empty()) row.error = "every row names its 'source:'";
  return row;
}

std::string CorpusDir() { return SourcePath("tests/corpus"); }

std::vector<std::string> ListRowNames() {
  std::vector<std::string> names;
  DIR* dir = opendir(CorpusDir().c_str());
  if (dir == nullptr) return names;
  while (dirent* e = readdir(dir)) {
    std::string n = e->d_name;
    if (n.size() > 4 && n.compare(n.size() - 4, 4, ".row") == 0)
      names.push_back(n.substr(0, n.size() - 4));
  }
  closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

// kOtherV8: a row about another V8 only (v8-major), not run.
enum class Outcome { kSurvived, kRefused, kAbort, kWrong, kDocumented, kOtherV8 };

std::map<std::string, std::pair<Outcome, std::string>>& Outcomes() {
  static auto* outcomes = new std::map<std::string, std::pair<Outcome, std::string>>();
  return *outcomes;
}

// A tool that could not be started (exit 127: missing, or being relinked by a build).
bool NotStarted(const ToolResult& r) { return r.exit_code == 127 && r.err.empty(); }

// An abort: V8's FATAL (exit 133, SIGTRAP), abort() (134), any other signal, or V8's words.
bool IsAbort(const ToolResult& r) {
  return r.exit_code > 128 || r.err.find("Fatal error") != std::string::npos ||
         r.err.find("Check failed") != std::string::npos ||
         r.err.find("FATAL ERROR") != std::string::npos;
}

// The words a message must hold: "a | b | c"; all must be present.
std::vector<std::string> MissingWords(const std::string& message, const std::string& words) {
  std::vector<std::string> missing;
  for (const std::string& w : Split(words, "|")) {
    if (message.find(w) == std::string::npos) missing.push_back(w);
  }
  return missing;
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "'" : ", '") + x + "'";
  return s;
}

class CorpusTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    row_ = ParseRow(CorpusDir() + "/" + GetParam() + ".row", GetParam(), Linked().major);
    // The default runtime's sources, copied so its manifest's ../extensions/ paths hold.
    std::string defaults = ReadWholeFile(SourcePath("manifests/default.textproto"));
    for (size_t at = 0; (at = defaults.find("\"../extensions/", at)) != std::string::npos;) {
      size_t end = defaults.find('"', at + 1);
      std::string rel = defaults.substr(at + 4, end - at - 4);  // extensions/...
      tmp_.Write(rel, ReadWholeFile(SourcePath(rel)));
      at = end;
    }
    manifest_ = tmp_.Write("manifests/m.textproto",
                           defaults + "\n# The row's extensions.\n" + row_.manifest);
    for (const File& f : row_.files) tmp_.Write("manifests/" + f.name, f.contents);
    blob_ = tmp_.path() + "/s.bin";
    env_ = SetEnv(row_.Header("env"));
  }
  void TearDown() override {
    for (const std::string& k : env_) unsetenv(k.c_str());
  }

  // A row's flags, with {dir} standing for the folder of the manifest and the row's files.
  std::vector<std::string> Flags(const std::string& key) const {
    std::vector<std::string> flags = Split(row_.Header(key), " ");
    for (std::string& f : flags) {
      for (size_t at; (at = f.find("{dir}")) != std::string::npos;) {
        f.replace(at, 5, tmp_.path() + "/manifests");
      }
    }
    return flags;
  }

  // Sets `key=value ...` pairs, returning the names for Unset.
  static std::vector<std::string> SetEnv(const std::string& pairs) {
    std::vector<std::string> names;
    for (const std::string& kv : Split(pairs, " ")) {
      size_t eq = kv.find('=');
      if (eq == std::string::npos) continue;
      setenv(kv.substr(0, eq).c_str(), kv.substr(eq + 1).c_str(), 1);
      names.push_back(kv.substr(0, eq));
    }
    return names;
  }

  ToolResult Build() {
    // build-env: set for the builds only (the runs see env: alone).
    std::vector<std::pair<std::string, const char*>> saved;
    for (const std::string& kv : Split(row_.Header("build-env"), " ")) {
      std::string name = kv.substr(0, kv.find('='));
      saved.emplace_back(name, getenv(name.c_str()) ? strdup(getenv(name.c_str())) : nullptr);
    }
    SetEnv(row_.Header("build-env"));
    ToolResult r = BuildWithCurrentEnv();
    for (const auto& [name, value] : saved) {
      if (value) {
        setenv(name.c_str(), value, 1);
        free(const_cast<char*>(value));
      } else {
        unsetenv(name.c_str());
      }
    }
    return r;
  }

  ToolResult BuildWithCurrentEnv() {
    std::vector<std::string> args = {"--manifest", manifest_, "--out", blob_};
    std::vector<std::string> flags = Flags("build-flags");
    bool has_timeout = false;
    for (const auto& f : flags) has_timeout |= f.rfind("--timeout-ms", 0) == 0;
    // A safety net, not a timing assertion: no row may hang the suite.
    if (!has_timeout) args.push_back("--timeout-ms=120000");
    args.insert(args.end(), flags.begin(), flags.end());
    return RunTool("snapshot_builder", args);
  }
  ToolResult Run(bool from_snapshot) {
    std::string main_text = row_.main;
    if (!from_snapshot) {
      // What a --warmup script did while building, done before the main script from source.
      for (const std::string& prelude : Split(row_.Header("source-prelude"), " ")) {
        for (const File& f : row_.files) {
          if (f.name == prelude) main_text = f.contents + "\n" + main_text;
        }
      }
    }
    std::string main = tmp_.Write("manifests/main.js", main_text);
    std::vector<std::string> args;
    if (from_snapshot) {
      args = {"--snapshot", blob_};
    } else {
      args = {"--no-snapshot"};
    }
    args.push_back("--manifest");
    args.push_back(manifest_);
    std::vector<std::string> flags = Flags("run-flags");
    bool has_timeout = false;
    for (const auto& f : flags) has_timeout |= f.rfind("--timeout-ms", 0) == 0;
    if (!has_timeout) args.push_back("--timeout-ms=120000");
    args.insert(args.end(), flags.begin(), flags.end());
    args.push_back(main);
    return RunTool("snapshot_run", args);
  }

  void Record(Outcome o, const std::string& why) { Outcomes()[row_.name] = {o, why}; }

  Row row_;
  TempDir tmp_;
  std::string manifest_;
  std::string blob_;
  std::vector<std::string> env_;
};

TEST_P(CorpusTest, Row) {
  ASSERT_TRUE(row_.error.empty()) << row_.path << ": " << row_.error;
  // A row about one V8 only (what that V8 alone has, or lacks, while building).
  const std::string v8 = row_.Header("v8-major");
  if (!v8.empty() && std::atoi(v8.c_str()) != Linked().major) {
    Record(Outcome::kOtherV8, "");
    GTEST_SKIP() << "the row is about V8 " << v8 << " only, this is V8 " << Linked().major_minor;
  }
  SCOPED_TRACE(row_.path + " (from " + row_.Header("source") + ")");
  ToolResult build = Build();
  ASSERT_FALSE(NotStarted(build)) << "snapshot_builder could not be started (is it built?)";
  const bool want_ok = row_.Header("build") == "ok";

  if (IsAbort(build)) {
    Record(Outcome::kAbort, "build aborted (exit " + std::to_string(build.exit_code) + ")");
    ADD_FAILURE() << "the build aborted (exit " << build.exit_code << "):\n" << build.err;
    return;
  }
  if (!want_ok) {
    if (build.exit_code == 0) {
      Record(Outcome::kWrong, "built, but the row expects a refusal");
      ADD_FAILURE() << "expected the build to be refused (" << row_.Header("build-error")
                    << "), but it succeeded";
      return;
    }
    std::vector<std::string> missing = MissingWords(build.err, row_.Header("build-error"));
    // Words that must not be there: a wrong place is a wrong result.
    for (const std::string& w : Split(row_.Header("build-error-absent"), "|")) {
      if (build.err.find(w) != std::string::npos) missing.push_back("(must not have) " + w);
    }
    if (build.exit_code != 1 || !missing.empty()) {
      Record(Outcome::kWrong, "refused without " + Join(missing) + " (exit " +
                                  std::to_string(build.exit_code) + ")");
      ADD_FAILURE() << "the build was refused (exit " << build.exit_code
                    << ") but its message lacks " << Join(missing) << ":\n"
                    << build.err;
      return;
    }
    Record(Outcome::kRefused, "");
    if (getenv("CORPUS_VERBOSE")) std::cout << build.err;
    return;
  }
  if (build.exit_code != 0) {
    Record(Outcome::kWrong, "build refused: " + build.err.substr(0, build.err.find('\n')));
    ADD_FAILURE() << "the build failed (exit " << build.exit_code << "):\n" << build.err;
    return;
  }

  if (row_.Header("check").find("reproducible") != std::string::npos) {
    std::string first_blob = ReadWholeFile(blob_);
    std::string first_sidecar = ReadWholeFile(blob_ + ".sidecar.pb");
    ToolResult again = Build();
    if (again.exit_code != 0 || ReadWholeFile(blob_) != first_blob ||
        ReadWholeFile(blob_ + ".sidecar.pb") != first_sidecar) {
      Record(Outcome::kWrong, "two builds of the same manifest differ");
      ADD_FAILURE() << "two builds differ (second exit " << again.exit_code << ")\n" << again.err;
      return;
    }
  }

  ToolResult loaded = Run(/*from_snapshot=*/true);
  if (IsAbort(loaded)) {
    Record(Outcome::kAbort, "run aborted (exit " + std::to_string(loaded.exit_code) + ")");
    ADD_FAILURE() << "the run from the snapshot aborted (exit " << loaded.exit_code << "):\n"
                  << loaded.err;
    return;
  }
  if (row_.Header("run", "ok") == "refused") {
    std::vector<std::string> missing = MissingWords(loaded.err, row_.Header("run-error"));
    if (loaded.exit_code != 1 || !missing.empty()) {
      Record(Outcome::kWrong, "run not refused with " + Join(missing) + " (exit " +
                                  std::to_string(loaded.exit_code) + ")");
      ADD_FAILURE() << "expected the run to be refused (exit 1, " << row_.Header("run-error")
                    << "), got exit " << loaded.exit_code << "\nstdout:\n"
                    << loaded.out << "\nstderr:\n"
                    << loaded.err;
      return;
    }
    Record(Outcome::kRefused, "");
    if (getenv("CORPUS_VERBOSE")) std::cout << loaded.err;
    return;
  }

  ToolResult source = Run(/*from_snapshot=*/false);
  if (IsAbort(source)) {
    Record(Outcome::kAbort,
           "run from source aborted (exit " + std::to_string(source.exit_code) + ")");
    ADD_FAILURE() << "the run from source aborted (exit " << source.exit_code << "):\n"
                  << source.err;
    return;
  }
  const int want_exit = std::atoi(row_.Header("run-exit", "0").c_str());
  // A difference from source that V8 does not let v8snap remove, listed in docs/snapshotting.md:
  // the run from source must print `expect`, the snapshot exactly `snapshot-expect` (one line).
  // Counted apart, never as survived; once the snapshot prints `expect`, the row fails so that
  // its header goes.
  const std::string documented = row_.Header("documented-difference");
  if (!documented.empty()) {
    const std::string snapshot_expect = row_.Header("snapshot-expect") + "\n";
    EXPECT_EQ(source.exit_code, want_exit) << "from source; stderr:\n" << source.err;
    EXPECT_EQ(source.out, row_.expect) << "from source";
    EXPECT_EQ(loaded.exit_code, want_exit) << "from the snapshot; stderr:\n" << loaded.err;
    EXPECT_NE(loaded.out, row_.expect)
        << "the snapshot now prints what source does: drop 'documented-difference:'";
    EXPECT_EQ(loaded.out, snapshot_expect) << "from the snapshot";
    const bool as_documented = source.exit_code == want_exit && source.out == row_.expect &&
                               loaded.exit_code == want_exit && loaded.out == snapshot_expect;
    Record(as_documented ? Outcome::kDocumented : Outcome::kWrong,
           as_documented ? documented : "not the documented difference");
    return;
  }
  std::string why;
  if (loaded.exit_code != want_exit || loaded.out != row_.expect) {
    why = "from the snapshot: exit " + std::to_string(loaded.exit_code) + ", output " +
          (loaded.out == row_.expect ? "right" : "differs");
  } else if (source.exit_code != want_exit || source.out != row_.expect) {
    why = "from source: exit " + std::to_string(source.exit_code) + ", output " +
          (source.out == row_.expect ? "right" : "differs");
  }
  EXPECT_EQ(loaded.exit_code, want_exit) << "from the snapshot; stderr:\n" << loaded.err;
  EXPECT_EQ(loaded.out, row_.expect) << "from the snapshot";
  EXPECT_EQ(source.exit_code, want_exit) << "from source; stderr:\n" << source.err;
  EXPECT_EQ(source.out, row_.expect) << "from source";
  EXPECT_EQ(loaded.out, source.out) << "the snapshot and the source must print the same";
  if (!row_.Header("run-stderr").empty()) {
    for (const ToolResult* r : {&loaded, &source}) {
      std::vector<std::string> missing = MissingWords(r->err, row_.Header("run-stderr"));
      if (!missing.empty() && why.empty()) why = "stderr lacks " + Join(missing);
      EXPECT_TRUE(missing.empty()) << "stderr lacks " << Join(missing) << ":\n" << r->err;
    }
  }
  Record(why.empty() ? Outcome::kSurvived : Outcome::kWrong, why);
}

std::string RowTestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string n = info.param;
  for (char& c : n) {
    if (!isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return n;
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusTest, ::testing::ValuesIn(ListRowNames()), RowTestName);

// At least 60 rows, all well-formed.
TEST(CorpusTableTest, HasAtLeastSixtyRows) { EXPECT_GE(ListRowNames().size(), 60u); }

// The summary line, after every row ran.
class SummaryEnvironment : public ::testing::Environment {
 public:
  void TearDown() override {
    int counts[6] = {0, 0, 0, 0, 0, 0};
    std::string details;
    const char* kinds[5] = {"survived", "refused", "abort", "wrong", "documented difference"};
    for (const auto& [name, outcome] : Outcomes()) {
      ++counts[static_cast<int>(outcome.first)];
      if (outcome.first != Outcome::kSurvived && outcome.first != Outcome::kRefused &&
          outcome.first != Outcome::kOtherV8) {
        details += "  " + std::string(kinds[static_cast<int>(outcome.first)]) + ": " + name + ": " +
                   outcome.second + "\n";
      }
    }
    // Per V8: each V8's suite prints its own line, which docs/snapshotting.md quotes.
    std::cout << details << "corpus on V8 " << Linked().major_minor << ": " << counts[0]
              << " survived, " << counts[1] << " refused, " << counts[2] << " aborts, " << counts[3]
              << " wrong, " << counts[4] << " documented differences (" << counts[5]
              << " rows about another V8 only)" << std::endl;
  }
};

const auto* const kSummary = ::testing::AddGlobalTestEnvironment(new SummaryEnvironment);

}  // namespace
}  // namespace v8snap::testing
