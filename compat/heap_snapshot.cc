// CacheLineEndsForHeapSnapshot: through V8 10.2's debug interface; nothing on 13.6 (see the
// header).
#include "compat/heap_snapshot.h"

#include "v8-version.h"

#if V8_MAJOR_VERSION < 13
#include "v8-local-handle.h"
#include "v8-script.h"
// PersistentValueVector, which GetLoadedScripts fills: Debian 12 installs v8-util.h only with
// Node's own copy of V8's headers (identical to the ones on the include path).
#include "third_party/v8/usr/include/nodejs/deps/v8/include/v8-util.h"

// These declarations match V8 10.2's src/debug/debug-interface.h for the two functions used.
namespace v8::debug {
class Script : public v8::UnboundScript {
 public:
  // The script's last line; V8 caches the script's line ends to answer it.
  int EndLine() const;
};
void GetLoadedScripts(v8::Isolate* isolate, v8::PersistentValueVector<Script>& scripts);
}  // namespace v8::debug
#endif

namespace v8snap::compat {

int CacheLineEndsForHeapSnapshot(v8::Isolate* isolate) {
#if V8_MAJOR_VERSION < 13
  v8::HandleScope scope(isolate);
  v8::PersistentValueVector<v8::debug::Script> scripts(isolate);
  v8::debug::GetLoadedScripts(isolate, scripts);
  for (size_t i = 0; i < scripts.Size(); ++i) scripts.Get(i)->EndLine();
  return static_cast<int>(scripts.Size());
#else
  (void)isolate;
  return 0;
#endif
}

}  // namespace v8snap::compat
