// ComputeScriptLineEnds through V8's debug interface, the one API that lists an isolate's scripts.
#include "runtime/script_line_ends.h"

#include "v8-local-handle.h"
#include "v8-script.h"
#include "v8-version.h"
// PersistentValueVector, which GetLoadedScripts fills: Debian installs v8-util.h only with
// Node's own copy of V8's headers (identical to the ones on the include path).
#include "third_party/v8/usr/include/nodejs/deps/v8/include/v8-util.h"

// V8 10.2 ships no header for its debug interface (src/debug/debug-interface.h), but libv8
// exports it. These declarations match that header's for the two functions used here; newer
// V8s changed GetLoadedScripts' signature, hence the version guard.
#if V8_MAJOR_VERSION == 10
namespace v8::debug {
class Script : public v8::UnboundScript {
 public:
  // The script's last line; V8 caches the script's line ends to answer it.
  int EndLine() const;
};
void GetLoadedScripts(v8::Isolate* isolate, v8::PersistentValueVector<Script>& scripts);
}  // namespace v8::debug
#endif

namespace v8snap {

int ComputeScriptLineEnds(v8::Isolate* isolate) {
#if V8_MAJOR_VERSION == 10
  v8::HandleScope scope(isolate);
  v8::PersistentValueVector<v8::debug::Script> scripts(isolate);
  v8::debug::GetLoadedScripts(isolate, scripts);
  for (size_t i = 0; i < scripts.Size(); ++i) scripts.Get(i)->EndLine();
  return static_cast<int>(scripts.Size());
#else
  // Not wired for other V8s yet: a heap snapshot there may be slow on a large source.
  (void)isolate;
  return 0;
#endif
}

}  // namespace v8snap
