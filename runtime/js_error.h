// Turning a caught JS exception into the one message format every v8snap tool prints:
//   path:line:col: Uncaught TypeError: message
//       at frame (path:line:col)
// The value after "Uncaught" is shown by the runtime's inspector when one is installed (the
// console extension's inspect(), as Node prints uncaught values), else as its string and stack.
#ifndef V8SNAP_RUNTIME_JS_ERROR_H_
#define V8SNAP_RUNTIME_JS_ERROR_H_

#include <functional>
#include <string>

#include "v8-context.h"
#include "v8-exception.h"
#include "v8-function.h"
#include "v8-isolate.h"

namespace v8snap {

// Maps a script's resource name ("ext:console/console.js", "file:///x/y.js") to what a person
// should see (the manifest-relative source path, a plain file path). Identity when empty.
using ScriptNameMapper = std::function<std::string(const std::string&)>;

// Formats `exception` (with `message` for the location, which may be empty or name no script:
// then no location is printed). Never throws.
std::string FormatJsException(v8::Isolate* isolate, v8::Local<v8::Context> context,
                              v8::Local<v8::Value> exception, v8::Local<v8::Message> message,
                              const ScriptNameMapper& mapper = nullptr);

// Same, from a TryCatch that caught something.
std::string FormatTryCatch(v8::Isolate* isolate, v8::Local<v8::Context> context,
                           const v8::TryCatch& try_catch, const ScriptNameMapper& mapper = nullptr);

// Makes `inspect` (value) => string the way FormatJsException shows uncaught values of
// `context`. Kept on the context's global object under a private key, so it is in a snapshot
// made of the context. A value it cannot show (it throws, returns no string, or execution is
// being terminated) falls back to the built-in formatting.
void SetUncaughtValueInspector(v8::Local<v8::Context> context, v8::Local<v8::Function> inspect);

// `value` as console.log shows plain data ({ a: 1, b: [ 1, 2 ] }, [Object: null prototype] {},
// 'text' inside objects, [Getter]), without running any JS: for contexts that have no inspector
// (a snapshot being built without the console extension). Errors show as their string only.
std::string InspectPlainly(v8::Isolate* isolate, v8::Local<v8::Context> context,
                           v8::Local<v8::Value> value);

// While an object of this class lives, FormatJsException on this thread does not lead with a
// place inside an internal script (say the snapshot builder's timers.js wrapper whose op threw):
// it leads with the topmost frame of the error's stack that is in another script, the user's
// call. `is_internal` gets the script's resource name ("ext:timers/timers.js"). One at a time.
class ScopedInternalScripts {
 public:
  explicit ScopedInternalScripts(std::function<bool(const std::string&)> is_internal);
  ~ScopedInternalScripts();
  ScopedInternalScripts(const ScopedInternalScripts&) = delete;
  ScopedInternalScripts& operator=(const ScopedInternalScripts&) = delete;
};

// Called by FormatJsException on the first uncaught non-string value of a context that has no
// inspector yet, so that a runtime finds its inspector when one is first needed instead of at
// every start-up (finding it costs ~30 us, 1% of a load). One per process; the installer may
// call SetUncaughtValueInspector or leave the context as it is.
using UncaughtValueInspectorInstaller = void (*)(v8::Local<v8::Context> context);
void SetUncaughtValueInspectorInstaller(UncaughtValueInspectorInstaller installer);

}  // namespace v8snap

#endif  // V8SNAP_RUNTIME_JS_ERROR_H_
