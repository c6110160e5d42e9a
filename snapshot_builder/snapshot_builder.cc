// The snapshot build: manifest → layout → SnapshotCreator → blob + sidecar.
#include "snapshot_builder/snapshot_builder.h"

#include <chrono>
#include <cstdio>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "compat/v8_compat.h"
#include "format/atomic_file.h"
#include "format/content_hash.h"
#include "format/manifest_loader.h"
#include "format/snapshot_files.h"
#include "format/status_macros.h"
#include "format/v8_blob_header.h"
#include "format/version.h"
#include "runtime/bootstrap.h"
#include "runtime/build_clock.h"
#include "runtime/commonjs.h"
#include "runtime/js_error.h"
#include "runtime/module_map.h"
#include "runtime/shared_read_only_heap.h"
#include "check/snapshot_layout.h"
#include "runtime/v8_process.h"
#include "snapshot_builder/api_surface.h"
#include "snapshot_builder/build_time_globals.h"
#include "snapshot_builder/serialization_check.h"
#include "v8-context.h"
#include "v8-isolate.h"
#include "v8-script.h"
#include "v8-snapshot.h"

namespace v8snap {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Prints "  console   2 sources  1.2 ms" lines while building, when asked to.
class ProgressPrinter : public BootstrapObserver {
 public:
  explicit ProgressPrinter(bool enabled) : enabled_(enabled), last_(Clock::now()) {}
  void ExtensionDone(const LoadedExtension& extension) override {
    if (!enabled_) return;
    int64_t bytes = 0;
    for (const auto& source : extension.sources) bytes += source.contents.size();
    std::fprintf(stderr, "  %-20s %2zu source%s %8lld bytes %8.1f ms\n", extension.name.c_str(),
                 extension.sources.size(), extension.sources.size() == 1 ? " " : "s",
                 static_cast<long long>(bytes), SecondsSince(last_) * 1000);
    last_ = Clock::now();
  }

 private:
  bool enabled_;
  Clock::time_point last_;
};

Sidecar DescribeBuild(const BuildOptions& options, const LoadedManifest& manifest,
                      const RuntimeLayout& layout, const std::vector<std::string>& flags,
                      const ExtensionRegistry& registry) {
  Sidecar sidecar;
  sidecar.set_builder_version(kV8snapVersion);
  sidecar.set_v8_version(V8Process::LinkedV8Version());
  for (const auto& flag : flags) sidecar.add_v8_flags(flag);
  sidecar.set_code_cache(options.keep_code_cache ? "keep" : "clear");
  sidecar.set_manifest_name(manifest.manifest.name());
  sidecar.set_manifest_digest(manifest.digest);
  for (const LoadedExtension& extension : manifest.extensions) {
    ExtensionRecord* record = sidecar.add_extensions();
    record->set_name(extension.name);
    for (const auto& dep : extension.deps) record->add_deps(dep);
    record->set_native(registry.Find(extension.name) != nullptr);
    record->set_enabled(extension.enabled);
    for (const LoadedSource& source : extension.sources) {
      SourceRecord* s = record->add_sources();
      s->set_kind(source.kind);
      s->set_path(source.path);
      s->set_specifier(SourceSpecifier(extension.name, source));
      s->set_size(source.contents.size());
      s->set_xxh3_128(Xxh3Hex(source.contents));
    }
  }
  *sidecar.mutable_layout() = layout.layout;
  for (const ImportMapEntry& entry : manifest.manifest.import_map()) {
    ImportMapRecord* record = sidecar.add_import_map();
    record->set_from(entry.from());
    record->set_to(entry.to());
  }
  return sidecar;
}

// Runs the --warmup script (BuildOptions::warmup_script_path) as a classic script. Its name in
// the blob is fixed, so where the script lives does not change the blob.
absl::Status RunWarmup(v8::Isolate* isolate, v8::Local<v8::Context> context,
                       const std::string& path, const std::vector<LoadedExtension>& extensions) {
  absl::StatusOr<std::string> read = ReadFileToString(path);
  if (!read.ok()) {
    return absl::Status(read.status().code(),
                        absl::StrCat("warm-up script: ", read.status().message()));
  }
  const std::string& source = *read;
  RETURN_IF_ERROR(CheckSourceIsUtf8(source, path, "warm-up script"));
  v8::HandleScope scope(isolate);
  v8::TryCatch try_catch(isolate);
  v8::ScriptOrigin origin =
      compat::MakeScriptOrigin(isolate, v8::String::NewFromUtf8Literal(isolate, "v8snap:warmup"));
  v8::Local<v8::String> code;
  v8::Local<v8::Script> script;
  v8::Local<v8::Value> result;
  if (!v8::String::NewFromUtf8(isolate, source.data(), v8::NewStringType::kNormal,
                               static_cast<int>(source.size()))
           .ToLocal(&code) ||
      !v8::Script::Compile(context, code, &origin).ToLocal(&script) ||
      !script->Run(context).ToLocal(&result)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "warm-up script failed: ",
        FormatTryCatch(isolate, context, try_catch,
                       // Only the warm-up's own frames are in the warm-up file; frames of the
                       // extensions it called are named as bootstrap errors name them.
                       [&path, extension_names = SourcePathMapper(extensions)](
                           const std::string& name) {
                         return name == "v8snap:warmup" ? path : extension_names(name);
                       })));
  }
  isolate->PerformMicrotaskCheckpoint();
  return absl::OkStatus();
}

// Why V8 marked the blob as not rehashable, as far as the sidecar tells.
std::string WhyNotRehashable(const Sidecar& sidecar) {
  for (const ModuleRecord& module : sidecar.modules()) {
    if (!module.lazy()) {
      return absl::StrCat("it holds ES modules, such as ", module.specifier(),
                          ", and V8 ", compat::kV8MajorMinor,
                          " cannot rehash a module's export table");
    }
  }
  return "the heap holds a hash table V8 cannot rehash";
}

// Runs the extensions inside a SnapshotCreator and returns the blob bytes; fills the module
// records (with their snapshot data indexes) into `sidecar`.
absl::StatusOr<std::string> CreateBlob(const BuildOptions& options, const LoadedManifest& manifest,
                                       const RuntimeLayout& layout, Sidecar& sidecar) {
  BuildWatch::LimitHeapOfNextIsolate(options.limits);
  v8::SnapshotCreator creator(layout.external_references.data());
  v8::Isolate* isolate = creator.GetIsolate();
  ProgressPrinter progress(options.verbose);
  {
    v8::HandleScope handle_scope(isolate);
    v8::Local<v8::Context> context = v8::Context::New(isolate);
    v8::Context::Scope context_scope(context);
    // The map's handles must be gone before CreateBlob, hence its own scope.
    ModuleMap modules(isolate, context, /*allow_files=*/false);
    modules.Install();
    modules.SetImportMap(ImportMapOf(manifest.manifest));
    BuildWatch watch(isolate, options.limits, layout, manifest.extensions);
    ASSIGN_OR_RETURN(BuildTimeGlobals globals, BuildTimeGlobals::Install(isolate, context));
    ASSIGN_OR_RETURN(
        std::vector<ModuleRecord> records,
        watch.Check(BootstrapContext(isolate, context, layout, manifest.extensions, modules,
                                     &progress)));
    if (!options.warmup_script_path.empty()) {
      RETURN_IF_ERROR(watch.Check(RunWarmup(isolate, context, options.warmup_script_path,
                                            manifest.extensions),
                                  "the warm-up script " + options.warmup_script_path));
    }
    RETURN_IF_ERROR(watch.Finish(context, modules));
    absl::Status serialized =
        globals.Finish(creator, context, SourcePathMapper(manifest.extensions), sidecar);
    if (!serialized.ok()) {
      // A callback stopped by --timeout-ms: name the limit and the callback's file:line (the
      // message starts with it), as the other timeout errors do.
      std::string message(serialized.message());
      size_t at = message.find(": the v8snap.snapshot.onSerialize callback");
      RETURN_IF_ERROR(watch.Check(
          serialized, at == std::string::npos
                          ? std::string("the v8snap.snapshot.onSerialize callbacks")
                          : "the v8snap.snapshot.onSerialize callback at " + message.substr(0, at)));
    }
    // The onSerialize callbacks ran JS too: a rejection they left unhandled must fail the
    // build as one left by the extensions or the warm-up does.
    RETURN_IF_ERROR(watch.Finish(context, modules));
    RETURN_IF_ERROR(RecordApiSurface(isolate, context, modules, records, sidecar));
    for (ModuleRecord& record : records) {
      // What the map holds now decides how a module is carried: a lazy module that an eager
      // one (or the warm-up) imported has been compiled and evaluated with it, so it is
      // carried evaluated, like an eager one; the importer is linked to that very instance.
      size_t index;
      v8::Local<v8::Module> module = modules.Find(record.specifier());
      const std::string* source = modules.LazySource(record.specifier());
      if (!module.IsEmpty()) {
        index = creator.AddData(context, module);
        record.set_lazy(false);
      } else if (source != nullptr) {
        index = creator.AddData(
            context, v8::String::NewFromUtf8(isolate, source->data(), v8::NewStringType::kNormal,
                                             static_cast<int>(source->size()))
                         .ToLocalChecked());
        record.set_lazy(true);
      } else {
        return absl::InternalError(
            absl::StrCat("module ", record.specifier(), " is neither compiled nor kept as source"));
      }
      record.set_data_index(static_cast<int32_t>(index));
      *sidecar.add_modules() = std::move(record);
    }
    RETURN_IF_ERROR(CheckHeapSerializable(isolate, context, modules, sidecar));
    creator.SetDefaultContext(context);
  }
  v8::StartupData data = creator.CreateBlob(
      options.keep_code_cache ? v8::SnapshotCreator::FunctionCodeHandling::kKeep
                              : v8::SnapshotCreator::FunctionCodeHandling::kClear);
  if (data.data == nullptr || data.raw_size <= 0) {
    return absl::InternalError("V8 produced no snapshot blob (SnapshotCreator::CreateBlob failed)");
  }
  std::string blob(data.data, static_cast<size_t>(data.raw_size));
  delete[] data.data;
  return blob;
}

// Blob bytes per extension, by building each prefix of the extension list (see
// BuildOptions::size_report). `full_bytes` is the size of the blob of all N extensions, already
// built; prefixes 0..N-1 are built here, in order, each in a fresh SnapshotCreator.
absl::StatusOr<std::vector<ExtensionSize>> MeasureExtensionSizes(const BuildOptions& options,
                                                                 const LoadedManifest& manifest,
                                                                 const ExtensionRegistry& registry,
                                                                 int64_t full_bytes) {
  BuildOptions quiet = options;
  quiet.verbose = false;
  quiet.warmup_script_path.clear();  // it may use any extension; prefixes lack some
  LoadedManifest prefix;
  std::vector<std::string> names;
  std::vector<int64_t> prefix_bytes;
  for (const LoadedExtension& extension : manifest.extensions) {
    ASSIGN_OR_RETURN(RuntimeLayout layout, ComputeLayout(names, registry));
    Sidecar scratch;
    ASSIGN_OR_RETURN(std::string blob, CreateBlob(quiet, prefix, layout, scratch));
    prefix_bytes.push_back(static_cast<int64_t>(blob.size()));
    prefix.extensions.push_back(extension);
    names.push_back(extension.name);
  }
  prefix_bytes.push_back(full_bytes);
  std::vector<ExtensionSize> sizes;
  for (size_t k = 0; k < manifest.extensions.size(); ++k) {
    ExtensionSize size;
    size.set_extension(manifest.extensions[k].name);
    size.set_bytes(prefix_bytes[k + 1] - prefix_bytes[k]);
    if (options.verbose) {
      std::fprintf(stderr, "  %-20s %+9lld blob bytes\n", size.extension().c_str(),
                   static_cast<long long>(size.bytes()));
    }
    sizes.push_back(std::move(size));
  }
  if (options.verbose) {
    std::fprintf(stderr, "  %-20s %9lld blob bytes (no extensions)\n", "(V8 baseline)",
                 static_cast<long long>(prefix_bytes[0]));
  }
  return sizes;
}

// One path as ninja's depfile parser (1.10 and later) and make read it: `$` doubled, space and
// `#` after a backslash, every other byte of the plain set as is. Anything else (`;`, `&`,
// quotes, a backslash, a tab, ...) ends a file name there or is kept with its backslash, so the
// build system would watch a file that does not exist and rebuild every time: refused instead.
absl::StatusOr<std::string> EscapeForDepfile(const std::string& path) {
  std::string escaped;
  for (char c : path) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (absl::ascii_isalnum(u) || u >= 0x80 || absl::StrContains("+,/_:.~(){}%=@[]!-", c)) {
      escaped.push_back(c);
    } else if (c == '$') {
      escaped.append("$$");
    } else if (c == ' ' || c == '#') {
      escaped.push_back('\\');
      escaped.push_back(c);
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "cannot write a depfile entry for '", absl::CHexEscape(path), "': its character '",
          absl::CHexEscape(std::string(1, c)),
          "' cannot be written in a depfile (ninja and make would read another file name): "
          "rename the file, or build without --depfile"));
    }
  }
  // A name ending in ':' would be read as a target.
  if (!path.empty() && path.back() == ':') {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot write a depfile entry for '", absl::CHexEscape(path),
        "': a name ending in ':' is read as a target: rename the file, or build without "
        "--depfile"));
  }
  return escaped;
}

// "out: manifest sources... [warm-up script]", each path escaped by EscapeForDepfile.
absl::StatusOr<std::string> Depfile(const std::string& out_path, const LoadedManifest& manifest,
                                    const std::string& warmup_script_path) {
  ASSIGN_OR_RETURN(std::string text, EscapeForDepfile(out_path));
  text.append(":");
  std::vector<std::string> inputs = {manifest.path};
  for (const auto& extension : manifest.extensions) {
    for (const auto& source : extension.sources) inputs.push_back(source.resolved_path);
  }
  if (!warmup_script_path.empty()) inputs.push_back(warmup_script_path);
  for (const std::string& input : inputs) {
    ASSIGN_OR_RETURN(std::string escaped, EscapeForDepfile(input));
    absl::StrAppend(&text, " ", escaped);
  }
  absl::StrAppend(&text, "\n");
  return text;
}

}  // namespace

std::vector<std::string> DeterministicV8Flags() {
  // --predictable: single-threaded, no concurrent compilation or GC timing in the heap layout.
  // Fixed seeds: the hash seed shapes every hash table in the blob; the random seed, Math.random.
  return {"--predictable", "--random-seed=1", "--hash-seed=1"};
}

absl::StatusOr<BuildSummary> BuildSnapshot(const BuildOptions& options) {
  Clock::time_point start = Clock::now();
  const ExtensionRegistry& registry = ExtensionRegistry::Global();
  if (!options.warmup_script_path.empty() && !options.keep_code_cache) {
    return absl::InvalidArgumentError(
        "--warmup needs --code-cache=keep: with clear, the code the warm-up compiles is dropped "
        "from the blob");
  }

  ManifestCheckOptions check;
  check.native_extensions = registry.Names();
  ASSIGN_OR_RETURN(LoadedManifest manifest, LoadManifestOrError(options.manifest_path, check));
  // Formatted before V8 runs, so a name the depfile cannot hold fails the build before it starts.
  std::string depfile;
  if (!options.depfile_path.empty()) {
    ASSIGN_OR_RETURN(depfile, Depfile(options.out_path, manifest, options.warmup_script_path));
  }

  std::vector<std::string> names;
  for (const auto& extension : manifest.extensions) names.push_back(extension.name);
  ASSIGN_OR_RETURN(RuntimeLayout layout, ComputeLayout(names, registry));

  // A flag V8 does not know, or a value it cannot parse, would only make V8 print a line and
  // go on, and the sidecar would record it. (Once V8 runs, Initialize compares the flags with
  // the ones it started with instead.)
  if (V8Process::platform() == nullptr) {
    RETURN_IF_ERROR(V8Process::CheckFlags(options.extra_v8_flags));
  }
  RETURN_IF_ERROR(BuildTimeGlobals::CheckFlagsTakeEffectWhileBuilding(options.extra_v8_flags));
  std::vector<std::string> flags = DeterministicV8Flags();
  flags.insert(flags.end(), options.extra_v8_flags.begin(), options.extra_v8_flags.end());
  // The wall clock JS reads while building is fixed (docs/snapshotting.md).
  ASSIGN_OR_RETURN(BuildClock clock, BuildClockFromEnvironment());
  const std::string time_zone = FixBuildTimeZone();
  RETURN_IF_ERROR(V8Process::Initialize(flags, clock.unix_ms()));

  if (options.verbose) {
    std::fprintf(stderr, "building %s from %s (%zu extensions, %zu ops)\n",
                 options.out_path.c_str(), options.manifest_path.c_str(),
                 manifest.extensions.size(), layout.ops.size());
  }
  Sidecar sidecar = DescribeBuild(options, manifest, layout, flags, registry);
  sidecar.set_build_clock_unix_seconds(clock.unix_seconds);
  sidecar.set_build_clock_source(clock.from_source_date_epoch ? "SOURCE_DATE_EPOCH" : "default");
  if (options.verbose) {
    std::fprintf(stderr, "%s\n%s\n", DescribeBuildClock(clock).c_str(), time_zone.c_str());
  }
  ASSIGN_OR_RETURN(std::string blob, CreateBlob(options, manifest, layout, sidecar));
  ASSIGN_OR_RETURN(V8BlobHeader header, ParseV8BlobHeader(blob));
  if (!header.rehashable && options.require_rehashable) {
    return absl::FailedPreconditionError(absl::StrCat(
        "V8 cannot rehash the snapshot of '", options.manifest_path,
        "': ", WhyNotRehashable(sidecar),
        "; every isolate from it would use the builder's fixed hash seed.\n  fix: carry the "
        "extensions' code as classic scripts (js:) instead of ES modules, or build without "
        "--require-rehashable and accept a fixed seed (docs/reliability.md, 'Hash seed')"));
  }
  if (options.size_report) {
    if (options.verbose) std::fprintf(stderr, "size report: building each manifest prefix\n");
    ASSIGN_OR_RETURN(
        std::vector<ExtensionSize> sizes,
        MeasureExtensionSizes(options, manifest, registry, static_cast<int64_t>(blob.size())));
    for (ExtensionSize& size : sizes) *sidecar.add_size_report() = std::move(size);
  }
  RETURN_IF_ERROR(WriteSnapshotPair(options.out_path, blob, &sidecar));
  if (!options.depfile_path.empty()) {
    RETURN_IF_ERROR(WriteFileAtomically(options.depfile_path, depfile));
  }

  BuildSummary summary;
  summary.blob_bytes = static_cast<int64_t>(blob.size());
  summary.sidecar_bytes = static_cast<int64_t>(EncodeSidecar(sidecar).size());
  summary.sidecar = std::move(sidecar);
  summary.seconds = SecondsSince(start);
  summary.rehashable = header.rehashable;
  if (options.verbose) {
    if (header.rehashable) {
      std::fprintf(stderr, "hash seed: V8 can rehash the blob; each process draws its own\n");
    } else {
      std::fprintf(stderr,
                   "hash seed: fixed at %s in every isolate: V8 cannot rehash the blob (%s)\n",
                   HashSeedFromFlags(flags).value_or("V8's build-time random value").c_str(),
                   WhyNotRehashable(summary.sidecar).c_str());
    }
    std::fprintf(stderr, "wrote %s (%lld bytes) and its sidecar (%lld bytes) in %.1f ms\n",
                 options.out_path.c_str(), static_cast<long long>(summary.blob_bytes),
                 static_cast<long long>(summary.sidecar_bytes), summary.seconds * 1000);
  }
  return summary;
}

}  // namespace v8snap
