// Context bootstrap: op surface first, then extension sources in order.
#include "runtime/bootstrap.h"

#include <functional>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "compat/fast_call.h"
#include "compat/v8_compat.h"
#include "runtime/commonjs.h"
#include "v8-exception.h"
#include "v8-function.h"
#include "v8-initialization.h"
#include "v8-microtask-queue.h"
#include "v8-primitive.h"
#include "v8-script.h"
#include "v8-template.h"

namespace v8snap {
namespace {

v8::Local<v8::String> V8String(v8::Isolate* isolate, const std::string& s) {
  return v8::String::NewFromUtf8(isolate, s.data(), v8::NewStringType::kInternalized,
                                 static_cast<int>(s.size()))
      .ToLocalChecked();
}

std::string FileName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// How bootstrap reports JS that was stopped (TerminateExecution: a limit of BuildWatch): the
// place alone, which BuildWatch::Check turns into the limit's message.
constexpr absl::string_view kTerminatedWhile = "execution was terminated while evaluating ";

// What BootstrapContext is evaluating on this thread ("app.js (extension 'app')"), for the
// message of a limit that stops it (BuildWatch::Check).
thread_local std::string t_evaluating;
// Whether BootstrapContext is only checking a lazy module's syntax (BuildWatch::Stop).
thread_local bool t_checking_syntax = false;

std::string Describe(const std::string& shown, const std::string& extension) {
  return absl::StrCat(shown, " (extension '", extension, "')");
}

absl::Status Terminated(const std::string& shown, const std::string& extension) {
  return absl::AbortedError(absl::StrCat(kTerminatedWhile, Describe(shown, extension)));
}

// The line and column (in bytes) of `source`'s top-level awaits (`await` and `for await` outside
// every function body), found by a scan that skips comments, strings, template literals and regular
// expressions. V8 10.2 has no API that says where a module's evaluation is suspended
// (Module::GetStalledTopLevelAwaitMessage came later), so a module that never finished names
// these lines: one of them is the await that never settled.
std::vector<std::pair<int, int>> TopLevelAwaits(const std::string& source) {
  std::vector<std::pair<int, int>> lines;
  // What each open bracket is: a function body ('f'), a template substitution ('$'), another
  // brace or bracket ('{', '[', '('). An arrow function without braces ('a') lasts until a
  // comma, semicolon or closing bracket at its own level.
  std::vector<char> open;
  std::vector<std::string> paren_openers;  // the word before each open '('
  std::string previous;                    // the last word or punctuator
  std::string last_paren_opener;           // the word before the '(' just closed
  int functions = 0;                       // open 'f' and 'a' entries
  int line = 1;
  const size_t n = source.size();
  auto close_arrows = [&] {
    while (!open.empty() && open.back() == 'a') {
      open.pop_back();
      --functions;
    }
  };
  auto regex_allowed = [&] {
    static const std::set<std::string> kWords = {"return", "typeof", "instanceof", "in",    "of",
                                                 "new",    "delete", "void",       "throw", "case",
                                                 "do",     "else",   "yield",      "await"};
    if (previous.empty()) return true;
    if (kWords.count(previous) != 0) return true;
    char c = previous.back();
    return !(absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
             c == ')' || c == ']' || c == '}');
  };
  for (size_t i = 0; i < n;) {
    char c = source[i];
    if (c == '\n') {
      ++line;
      ++i;
      continue;
    }
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    if (c == '/' && i + 1 < n && source[i + 1] == '/') {
      while (i < n && source[i] != '\n') ++i;
      continue;
    }
    if (c == '/' && i + 1 < n && source[i + 1] == '*') {
      for (i += 2; i + 1 < n && !(source[i] == '*' && source[i + 1] == '/'); ++i) {
        if (source[i] == '\n') ++line;
      }
      i += 2;
      continue;
    }
    if (c == '\'' || c == '"' || (c == '/' && regex_allowed())) {
      bool in_class = false;  // a regex's [...] may hold an unescaped '/'
      for (++i; i < n && source[i] != '\n'; ++i) {
        if (source[i] == '\\') {
          ++i;
        } else if (c == '/' && source[i] == '[') {
          in_class = true;
        } else if (c == '/' && source[i] == ']') {
          in_class = false;
        } else if (source[i] == c && !in_class) {
          break;
        }
      }
      ++i;
      if (c == '/') {
        while (i < n && absl::ascii_isalpha(static_cast<unsigned char>(source[i]))) ++i;
      }
      previous = "x";  // a value
      continue;
    }
    if (c == '`' || (c == '}' && !open.empty() && open.back() == '$')) {
      if (c == '}') open.pop_back();
      // Template text up to its end or the next substitution.
      for (++i; i < n; ++i) {
        if (source[i] == '\\') {
          ++i;
        } else if (source[i] == '\n') {
          ++line;
        } else if (source[i] == '`') {
          ++i;
          previous = "x";
          break;
        } else if (source[i] == '$' && i + 1 < n && source[i + 1] == '{') {
          i += 2;
          open.push_back('$');
          previous = "{";
          break;
        }
      }
      continue;
    }
    if (absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
        static_cast<unsigned char>(c) >= 0x80) {
      size_t start = i;
      while (i < n &&
             (absl::ascii_isalnum(static_cast<unsigned char>(source[i])) || source[i] == '_' ||
              source[i] == '$' || static_cast<unsigned char>(source[i]) >= 0x80)) {
        ++i;
      }
      std::string word = source.substr(start, i - start);
      if (word == "await" && functions == 0 && previous != ".") {
        size_t newline = start == 0 ? std::string::npos : source.rfind('\n', start - 1);
        int column = static_cast<int>(start - (newline == std::string::npos ? 0 : newline + 1)) + 1;
        lines.emplace_back(line, column);
      }
      previous = word;
      continue;
    }
    // Punctuators.
    if (c == '=' && i + 1 < n && source[i + 1] == '>') {
      i += 2;
      size_t j = i;
      while (j < n && absl::ascii_isspace(static_cast<unsigned char>(source[j]))) ++j;
      if (j < n && source[j] == '{') {
        previous = "=>";
      } else {
        open.push_back('a');
        ++functions;
        previous = "=>";
      }
      continue;
    }
    if (c == '(') {
      paren_openers.push_back(previous);
      open.push_back('(');
    } else if (c == ')') {
      close_arrows();
      if (!open.empty()) open.pop_back();
      last_paren_opener = paren_openers.empty() ? "" : paren_openers.back();
      if (!paren_openers.empty()) paren_openers.pop_back();
    } else if (c == '{') {
      static const std::set<std::string> kBlockHeads = {"if",    "for",  "while", "switch",
                                                        "catch", "with", ""};
      bool body =
          previous == "=>" || (previous == ")" && kBlockHeads.count(last_paren_opener) == 0);
      open.push_back(body ? 'f' : '{');
      if (body) ++functions;
    } else if (c == '}' || c == ']') {
      close_arrows();
      if (!open.empty()) {
        if (open.back() == 'f') --functions;
        open.pop_back();
      }
    } else if (c == '[') {
      open.push_back('[');
    } else if (c == ',' || c == ';') {
      close_arrows();
    }
    previous = std::string(1, c);
    ++i;
  }
  return lines;
}

// Why `name`, imported by module `referrer`, is not in the map while the extensions are
// evaluated: its extension comes later in the manifest (or the two need each other). "" when
// the manifest does not declare it.
std::string ExplainUnavailableModule(const std::vector<LoadedExtension>& extensions,
                                     const std::string& name, const std::string& referrer) {
  const LoadedExtension* target = nullptr;
  const LoadedExtension* importer = nullptr;
  size_t target_index = 0, importer_index = 0;
  for (size_t i = 0; i < extensions.size(); ++i) {
    for (const LoadedSource& source : extensions[i].sources) {
      std::string specifier = SourceSpecifier(extensions[i].name, source);
      if (specifier == name) target = &extensions[i], target_index = i;
      if (specifier == referrer) importer = &extensions[i], importer_index = i;
    }
  }
  if (target == nullptr || importer == nullptr || target_index <= importer_index) return "";
  auto at = [](const LoadedExtension& e) {
    return absl::StrCat(e.where.file, ":", e.where.line, ":", e.where.column);
  };
  // Does the later extension depend, directly or not, on the importer?
  std::map<std::string, const LoadedExtension*> by_name;
  for (const LoadedExtension& e : extensions) by_name.emplace(e.name, &e);
  std::set<std::string> seen;
  std::vector<std::string> todo = target->deps;
  bool cycle = false;
  while (!todo.empty() && !cycle) {
    std::string dep = todo.back();
    todo.pop_back();
    if (!seen.insert(dep).second) continue;
    if (dep == importer->name) cycle = true;
    auto it = by_name.find(dep);
    if (it != by_name.end())
      todo.insert(todo.end(), it->second->deps.begin(), it->second->deps.end());
  }
  std::string declared =
      absl::StrCat("'", name, "' belongs to extension '", target->name, "', declared at ",
                   at(*target), ", after extension '", importer->name, "' (", at(*importer),
                   "); extensions are evaluated in manifest order, so it "
                   "does not exist yet when '",
                   importer->name, "' runs");
  if (cycle) {
    return absl::StrCat(declared, ", and '", target->name, "' depends on '", importer->name,
                        "', so no order works (a cycle).\n  fix: move what both need into an "
                        "extension listed before both, and make both depend on it");
  }
  return absl::StrCat(declared, ".\n  fix: list extension '", target->name, "' before '",
                      importer->name, "' in the manifest and add deps: \"", target->name, "\" to '",
                      importer->name, "'");
}

// The error for extension module `name` of `extension`, whose evaluation is still pending after
// its microtasks ran: where its top-level await is, or, when it has none, the top-level await
// of the one module of the extension that it pulled into its evaluation (`compiled`: the
// extension's modules in evaluation order; those after `name` that are no longer merely
// instantiated were imported by it).
absl::Status StalledModule(
    const LoadedExtension& extension, const std::string& name,
    const std::vector<std::pair<std::string, v8::Local<v8::Module>>>& compiled,
    const ScriptNameMapper& mapper) {
  auto awaits_of = [&](const std::string& module_name) {
    for (const LoadedSource& source : extension.sources) {
      if (SourceSpecifier(extension.name, source) == module_name) {
        return TopLevelAwaits(source.contents);
      }
    }
    return std::vector<std::pair<int, int>>();
  };
  std::string stalled = name;
  std::vector<std::pair<int, int>> awaits = awaits_of(name);
  if (awaits.empty()) {
    std::vector<std::string> imported_with_awaits;
    bool after = false;
    for (const auto& [other, module] : compiled) {
      if (other == name) {
        after = true;
      } else if (after && module->GetStatus() >= v8::Module::kEvaluating &&
                 !awaits_of(other).empty()) {
        imported_with_awaits.push_back(other);
      }
    }
    if (imported_with_awaits.size() == 1) {
      stalled = imported_with_awaits[0];
      awaits = awaits_of(stalled);
    }
  }
  std::string where = mapper(stalled);
  const std::string whose =
      stalled == name ? "" : absl::StrCat("the module it imports, '", stalled, "': ");
  std::string which;
  if (awaits.size() == 1) {
    where = absl::StrCat(where, ":", awaits[0].first, ":", awaits[0].second);
    which = absl::StrCat(whose, "its top-level await here waits on something that never settles");
  } else if (!awaits.empty()) {
    std::vector<int> lines;
    for (const auto& [line, column] : awaits) lines.push_back(line);
    which = absl::StrCat(whose, "one of its top-level awaits (lines ", absl::StrJoin(lines, ", "),
                         ") waits on something that never settles");
  } else {
    which =
        "a top-level await in it, or in a module it imports, waits on something that never "
        "settles";
  }
  return absl::InvalidArgumentError(absl::StrCat(
      where, ": extension module '", name, "' did not finish evaluating: ", which,
      " while the snapshot is built (timers and I/O do not run while building, so a promise "
      "that waits on them stays pending).\n  fix: await only work that finishes without timers "
      "or I/O, or move the waiting to run time (a function the main script calls, or a "
      "v8snap.snapshot.onDeserialize(fn) hook)"));
}

// Gets or creates globalThis[name] as a plain object.
v8::MaybeLocal<v8::Object> EnsureObject(v8::Local<v8::Context> context,
                                        v8::Local<v8::Object> holder, const char* name) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::Local<v8::String> key = V8String(isolate, name);
  v8::Local<v8::Value> existing;
  if (!holder->Get(context, key).ToLocal(&existing)) return {};
  if (existing->IsObject()) return existing.As<v8::Object>();
  v8::Local<v8::Object> created = v8::Object::New(isolate);
  if (holder->Set(context, key, created).IsNothing()) return {};
  return created;
}

absl::Status RunClassicScript(v8::Isolate* isolate, v8::Local<v8::Context> context,
                              const std::string& name, const std::string& source,
                              const std::string& extension, const ScriptNameMapper& mapper) {
  v8::HandleScope scope(isolate);
  v8::TryCatch try_catch(isolate);
  v8::ScriptOrigin origin = compat::MakeScriptOrigin(isolate, V8String(isolate, name));
  v8::Local<v8::Script> script;
  v8::Local<v8::Value> result;
  if (!v8::Script::Compile(context, V8String(isolate, source), &origin).ToLocal(&script) ||
      !script->Run(context).ToLocal(&result)) {
    if (try_catch.HasTerminated()) return Terminated(mapper(name), extension);
    return absl::InvalidArgumentError(FormatTryCatch(isolate, context, try_catch, mapper));
  }
  return absl::OkStatus();
}

}  // namespace

std::string SourceSpecifier(const std::string& extension, const LoadedSource& source) {
  if (!source.specifier.empty()) return source.specifier;
  return absl::StrCat("ext:", extension, "/", FileName(source.path));
}

ScriptNameMapper SourcePathMapper(const std::vector<LoadedExtension>& extensions) {
  std::map<std::string, std::string> paths;
  for (const LoadedExtension& extension : extensions) {
    for (const LoadedSource& source : extension.sources) {
      paths[SourceSpecifier(extension.name, source)] = source.resolved_path;
    }
  }
  return [paths = std::move(paths)](const std::string& name) {
    auto it = paths.find(name);
    return it == paths.end() ? ModuleMap::DisplayName(name) : it->second;
  };
}

absl::Status InstallOps(v8::Isolate* isolate, v8::Local<v8::Context> context,
                        const RuntimeLayout& layout) {
  v8::HandleScope scope(isolate);
  // V8 leaves Error.stackTraceLimit unset in a context made for a snapshot, so errors thrown
  // while building, and every error of a runtime loaded from the snapshot, would have no stack.
  v8::Local<v8::Value> error_constructor;
  if (!context->Global()->Get(context, V8String(isolate, "Error")).ToLocal(&error_constructor) ||
      !error_constructor->IsObject() ||
      error_constructor.As<v8::Object>()
          ->Set(context, V8String(isolate, "stackTraceLimit"), v8::Integer::New(isolate, 10))
          .IsNothing()) {
    return absl::InternalError("could not set Error.stackTraceLimit");
  }
  v8::Local<v8::Object> v8snap_object, core, ops;
  if (!EnsureObject(context, context->Global(), "v8snap").ToLocal(&v8snap_object) ||
      !EnsureObject(context, v8snap_object, "core").ToLocal(&core) ||
      !EnsureObject(context, core, "ops").ToLocal(&ops)) {
    return absl::InternalError("could not create globalThis.v8snap.core.ops");
  }
  for (size_t id = 0; id < layout.ops.size(); ++id) {
    const OpDecl& op = *layout.ops[id];
    // The op id rides along as the function's data: the runtime uses it to name a disabled op.
    v8::Local<v8::FunctionTemplate> tmpl = compat::NewOpTemplate(
        isolate, op.callback, v8::Integer::NewFromUnsigned(isolate, static_cast<uint32_t>(id)),
        op.arity, op.fast);
    v8::Local<v8::Function> function;
    if (!tmpl->GetFunction(context).ToLocal(&function)) {
      return absl::InternalError(absl::StrCat("could not create op function ", op.name));
    }
    function->SetName(V8String(isolate, op.name));
    if (ops->Set(context, V8String(isolate, op.name), function).IsNothing()) {
      return absl::InternalError(absl::StrCat("could not install op ", op.name));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ModuleRecord>> BootstrapContext(
    v8::Isolate* isolate, v8::Local<v8::Context> context, const RuntimeLayout& layout,
    const std::vector<LoadedExtension>& extensions, ModuleMap& modules,
    BootstrapObserver* observer) {
  v8::HandleScope scope(isolate);
  if (absl::Status s = InstallOps(isolate, context, layout); !s.ok()) return s;
  ScriptNameMapper mapper = SourcePathMapper(extensions);
  modules.SetNameMapper(mapper);
  // The map outlives this call: it keeps the manifest's shape, not the sources.
  std::vector<LoadedExtension> declared = extensions;
  for (LoadedExtension& extension : declared) {
    for (LoadedSource& source : extension.sources) source.contents.clear();
  }
  modules.SetUnavailableModuleExplainer(
      [declared = std::move(declared)](const std::string& name, const std::string& referrer) {
        return ExplainUnavailableModule(declared, name, referrer);
      });
  std::vector<ModuleRecord> records;

  for (const LoadedExtension& extension : extensions) {
    // Classic scripts run first, in order; then the extension's modules are all compiled (they
    // may import each other in any order) and evaluated in manifest order.
    std::vector<std::pair<std::string, v8::Local<v8::Module>>> compiled;
    for (const LoadedSource& source : extension.sources) {
      std::string name = SourceSpecifier(extension.name, source);
      t_evaluating = Describe(mapper(name), extension.name);
      switch (source.kind) {
        case SourceRecord::CLASSIC:
          if (absl::Status s =
                  RunClassicScript(isolate, context, name, source.contents, extension.name, mapper);
              !s.ok()) {
            return s;
          }
          break;
        case SourceRecord::ESM: {
          auto module = modules.Compile(name, source.contents);
          if (!module.ok()) return module.status();
          compiled.emplace_back(name, *module);
          break;
        }
        case SourceRecord::CJS: {
          // Registered by a classic script under its own name (errors point into the file),
          // then imported through a module of the same name, evaluated with the others.
          for (const auto& [script, text] :
               {std::pair{std::string(kCommonJsRegistryName),
                          CommonJsRegistryScript(modules.import_map())},
                std::pair{name, CommonJsDefineScript(name, source.path, source.contents)}}) {
            if (absl::Status s =
                    RunClassicScript(isolate, context, script, text, extension.name, mapper);
                !s.ok()) {
              return s;
            }
          }
          auto module = modules.Compile(name, CommonJsFacadeModule(name));
          if (!module.ok()) return module.status();
          compiled.emplace_back(name, *module);
          break;
        }
        case SourceRecord::LAZY_ESM: {
          // Compiled (never evaluated) now so that a syntax error fails the build with its
          // file:line:col instead of waiting for the first import; kept as source.
          t_checking_syntax = true;
          absl::Status syntax = modules.CheckSyntax(name, source.contents);
          t_checking_syntax = false;
          if (!syntax.ok()) return syntax;
          modules.AddLazySource(name, source.contents);
          break;
        }
        default:
          return absl::InternalError(absl::StrCat("unknown source kind in ", source.path));
      }
      if (source.kind != SourceRecord::CLASSIC) {
        ModuleRecord record;
        record.set_specifier(name);
        record.set_extension(extension.name);
        record.set_lazy(source.kind == SourceRecord::LAZY_ESM);
        record.set_data_index(-1);
        records.push_back(std::move(record));
      }
    }
    for (const auto& [name, module] : compiled) {
      t_evaluating = Describe(mapper(name), extension.name);
      auto evaluation = modules.InstantiateAndEvaluate(module);
      if (!evaluation.ok()) {
        if (absl::IsAborted(evaluation.status())) return Terminated(mapper(name), extension.name);
        return evaluation.status();
      }
      // Extension modules must finish while the snapshot is built: run their microtasks now.
      isolate->PerformMicrotaskCheckpoint();
      v8::Local<v8::Promise> promise = *evaluation;
      if (promise->State() == v8::Promise::kRejected) {
        // Reported here, with its place; the watch need not report it again.
        promise->MarkAsHandled();
        v8::Local<v8::Message> message = v8::Exception::CreateMessage(isolate, promise->Result());
        std::string text = FormatJsException(isolate, context, promise->Result(), message, mapper);
        // A thrown value that is not an Error carries no place, and V8 keeps none for a module
        // (it catches the throw to reject the evaluation): the module at least.
        if (!message->GetScriptResourceName()->IsString()) {
          text = absl::StrCat(mapper(name), ": ", text);
        }
        return absl::InvalidArgumentError(text);
      }
      if (promise->State() == v8::Promise::kPending) {
        return StalledModule(extension, name, compiled, mapper);
      }
    }
    if (observer != nullptr) observer->ExtensionDone(extension);
  }
  t_evaluating.clear();
  return records;
}

namespace {

// The BuildWatch of this thread, for V8's promise-reject callback, which carries no data.
thread_local BuildWatch* t_watch = nullptr;

// The phrases of the errors that the ops of timers, fs and async ops throw when called while a
// snapshot is built (they have no event loop then): such an error gets the fix below.
constexpr absl::string_view kOpRefusals[] = {
    "cannot be started while a snapshot is built",
    "cannot run while a snapshot is built",
    "cannot be called while a snapshot is built",
};

constexpr absl::string_view kOpFix =
    "\n  fix: timers, file and other async ops cannot run while a snapshot is built (there is "
    "no event loop until it is loaded): start them at run time, or in a function given to "
    "v8snap.snapshot.onDeserialize(fn), which runs after each load";

bool IsOpRefusal(absl::string_view message) {
  for (absl::string_view phrase : kOpRefusals) {
    if (absl::StrContains(message, phrase)) return true;
  }
  return false;
}

std::string WithOpFix(std::string message) {
  if (IsOpRefusal(message)) absl::StrAppend(&message, kOpFix);
  return message;
}

// "ext:timers/timers.js" -> "timers"; "" for other names.
std::string ExtensionOf(const std::string& resource_name) {
  if (!absl::StartsWith(resource_name, "ext:")) return "";
  size_t slash = resource_name.find('/');
  return slash == std::string::npos ? "" : resource_name.substr(4, slash - 4);
}

// Whether a script belongs to an extension with native ops: v8snap's wrappers around them.
std::function<bool(const std::string&)> ScriptsOfNativeExtensions(const RuntimeLayout& layout) {
  std::set<std::string> native;
  for (const OpRecord& op : layout.layout.ops()) native.insert(op.extension());
  return [native = std::move(native)](const std::string& name) {
    return native.count(ExtensionOf(name)) != 0;
  };
}

}  // namespace

struct BuildWatch::Rejection {
  v8::Global<v8::Promise> promise;
  v8::Global<v8::Value> reason;
  std::string place;   // "path:line:col" of the rejecting call, the user's frame first
  std::string frames;  // "\n    at ..." lines of the stack at the rejection
};

void BuildWatch::LimitHeapOfNextIsolate(const ExecutionLimitOptions& limits) {
  if (limits.max_heap_mb == 0) return;
  std::string flag = absl::StrCat("--max-old-space-size=", limits.max_heap_mb);
  v8::V8::SetFlagsFromString(flag.c_str(), flag.size());
}

BuildWatch::BuildWatch(v8::Isolate* isolate, const ExecutionLimitOptions& limits,
                       const RuntimeLayout& layout, const std::vector<LoadedExtension>& extensions)
    : isolate_(isolate),
      limits_(limits),
      mapper_(SourcePathMapper(extensions)),
      is_internal_(ScriptsOfNativeExtensions(layout)),
      internal_scripts_(is_internal_) {
  if (limits.max_heap_mb != 0) {
    // The isolate has its heap now: later isolates of this process get V8's default again.
    constexpr char kDefault[] = "--max-old-space-size=0";
    v8::V8::SetFlagsFromString(kDefault, sizeof(kDefault) - 1);
  }
  limits_.Attach(isolate);
  limits_.Arm();
  t_watch = this;
  isolate->SetPromiseRejectCallback(OnPromiseReject);
}

BuildWatch::~BuildWatch() {
  limits_.Disarm();
  isolate_->SetPromiseRejectCallback(nullptr);
  // A limit that fired in JS run after Finish (an onSerialize callback) must not stop more.
  if (isolate_->IsExecutionTerminating()) isolate_->CancelTerminateExecution();
  t_watch = nullptr;
}

void BuildWatch::OnPromiseReject(v8::PromiseRejectMessage message) {
  BuildWatch* self = t_watch;
  v8::Local<v8::Promise> promise = message.GetPromise();
  v8::Isolate* isolate = promise->GetIsolate();
  if (self == nullptr || self->isolate_ != isolate) return;
  auto& list = self->rejections_;
  if (message.GetEvent() == v8::kPromiseHandlerAddedAfterReject) {
    for (auto it = list.begin(); it != list.end(); ++it) {
      if ((*it)->promise.Get(isolate) == promise) {
        list.erase(it);
        break;
      }
    }
    return;
  }
  if (message.GetEvent() != v8::kPromiseRejectWithNoHandler) return;
  v8::HandleScope scope(isolate);
  auto rejection = std::make_unique<Rejection>();
  rejection->promise.Reset(isolate, promise);
  v8::Local<v8::Value> reason = message.GetValue();
  rejection->reason.Reset(isolate,
                          reason.IsEmpty() ? v8::Undefined(isolate).As<v8::Value>() : reason);
  // Where the rejection happens: what a value that is not an Error (Promise.reject(1)) is
  // located by; an Error carries its own stack.
  v8::Local<v8::StackTrace> trace = v8::StackTrace::CurrentStackTrace(isolate, 10);
  std::string first;
  for (int i = 0; i < trace->GetFrameCount(); ++i) {
    v8::Local<v8::StackFrame> frame = trace->GetFrame(isolate, i);
    v8::String::Utf8Value script(isolate, frame->GetScriptName());
    v8::String::Utf8Value function(isolate, frame->GetFunctionName());
    std::string raw = *script == nullptr ? "" : *script;
    std::string place =
        absl::StrCat(self->mapper_(raw), ":", frame->GetLineNumber(), ":", frame->GetColumn());
    if (first.empty()) first = place;
    if (rejection->place.empty() && !self->is_internal_(raw)) {
      rejection->place = place;
    }
    if (*function != nullptr && function.length() > 0) {
      absl::StrAppend(&rejection->frames, "\n    at ", *function, " (", place, ")");
    } else {
      absl::StrAppend(&rejection->frames, "\n    at ", place);
    }
  }
  if (rejection->place.empty()) rejection->place = first;
  list.push_back(std::move(rejection));
}

void BuildWatch::Stop(v8::Isolate* isolate, const std::string& reason) {
  BuildWatch* self = t_watch;
  if (self == nullptr || self->isolate_ != isolate || t_checking_syntax) return;
  if (self->stop_reason_.empty()) {
    self->stop_place_ = t_evaluating;
    self->stop_reason_ = reason;
  }
  isolate->TerminateExecution();
}

absl::Status BuildWatch::Check(absl::Status result, const std::string& where) {
  if (result.ok()) return result;
  if (!stop_reason_.empty()) {
    if (isolate_->IsExecutionTerminating()) isolate_->CancelTerminateExecution();
    std::string place = !stop_place_.empty() ? stop_place_
                        : !where.empty()     ? where
                                             : "the build's JS";
    return absl::FailedPreconditionError(absl::StrCat(place, " ", stop_reason_));
  }
  absl::Status explained = limits_.Explain(result);
  if (explained == result) {
    return absl::Status(result.code(), WithOpFix(std::string(result.message())));
  }
  std::string place = where.empty() ? t_evaluating : where;
  if (place.empty()) place = "the extensions";
  std::string text(explained.message());
  size_t end = text.find('\n');
  if (end == std::string::npos) end = text.size();
  if (end > 0 && text[end - 1] == '.') --end;
  text.insert(end, absl::StrCat(" while evaluating ", place));
  if (absl::IsDeadlineExceeded(explained)) {
    absl::StrAppend(&text, "\n  fix: look in ", place,
                    " for a loop that never ends, or promises that keep queuing each other; if "
                    "the build needs longer, raise --timeout-ms (0 turns the limit off; the "
                    "default is ",
                    kDefaultBuildTimeoutMs, ")");
  }
  return absl::Status(explained.code(), text);
}

absl::Status BuildWatch::Finish(v8::Local<v8::Context> context, const ModuleMap& modules) {
  isolate_->PerformMicrotaskCheckpoint();
  if (isolate_->IsExecutionTerminating() || !stop_reason_.empty()) {
    return Check(absl::AbortedError(""));
  }
  if (!modules.refused_import().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        modules.refused_import(),
        " (the build fails even when the rejection is caught: the snapshot would carry a failed "
        "import).\n  fix: import the module statically (import { x } from "
        "'ext:<extension>/<file>') in an extension module, or call import() at run time (in "
        "the main script, or in a function given to v8snap.snapshot.onDeserialize(fn))"));
  }
  if (rejections_.empty()) return absl::OkStatus();
  v8::HandleScope scope(isolate_);
  const Rejection& first = *rejections_.front();
  v8::Local<v8::Value> reason = first.reason.Get(isolate_);
  std::string text;
  if (reason->IsNativeError()) {
    text = FormatJsException(isolate_, context, reason,
                             v8::Exception::CreateMessage(isolate_, reason), mapper_);
  } else {
    text = absl::StrCat(first.place, ": ",
                        FormatJsException(isolate_, context, reason, {}, mapper_), first.frames);
  }
  size_t at = text.find("Uncaught ");
  if (at != std::string::npos) text.insert(at + 9, "(in promise) ");
  absl::StrAppend(&text,
                  "\n  note: the promise was rejected while the snapshot was built and nothing "
                  "handled it by the end of the build; a snapshot must not carry a failure that "
                  "no one will see (snapshot_run --no-snapshot fails the same way)");
  if (rejections_.size() > 1) {
    absl::StrAppend(&text, "; ", rejections_.size() - 1,
                    " more promise(s) were left rejected with no handler");
  }
  absl::StrAppend(&text, IsOpRefusal(text) ? kOpFix
                                           : "\n  fix: handle the rejection (await it, or add "
                                             ".catch()), or start that work at run time");
  return absl::InvalidArgumentError(text);
}

}  // namespace v8snap
