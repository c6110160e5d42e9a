// Declaring native extensions: ops (C++ functions callable from JS) grouped under an extension
// name, and the process-wide registry that extensions join by static registration.
//
// Usage (in extensions/foo/foo_ops.cc, built as a source_set so the registrar is linked in):
//
//   void OpAdd(const v8::FunctionCallbackInfo<v8::Value>& info) { ... }
//   V8SNAP_REGISTER_EXTENSION(foo, {
//       {"op_add", OpAdd, /*arity=*/2, v8snap::OpMode::kSync},
//   });
//
// An op whose arguments and result are plain numbers or booleans may also have a fast function
// (compat/fast_call.h: `{"op_add", OpAdd, 2, v8snap::OpMode::kSync,
// v8snap::compat::MakeFastCall(&FastAdd)}`).
//
// JS reaches it as `v8snap.core.ops.op_add(1, 2)`. The manifest decides where "foo" sits in the
// load order; the registry only says which ops it has, in declaration order.
#ifndef V8SNAP_RUNTIME_EXTENSION_H_
#define V8SNAP_RUNTIME_EXTENSION_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "compat/fast_call.h"
#include "v8-function-callback.h"

namespace v8snap {

enum class OpMode {
  // Returns its result directly.
  kSync,
  // Returns a promise settled later on the JS thread (see runtime/async_ops.h).
  kAsync,
};

struct OpDecl {
  // `{"op_add", OpAdd, 2, OpMode::kSync}`, with a FastCall last when the op has one. A
  // constructor rather than aggregate initialization, so leaving out `fast` draws no
  // missing-initializer warning from any compiler.
  OpDecl() = default;
  OpDecl(std::string name, v8::FunctionCallback callback, int arity = 0,
         OpMode mode = OpMode::kSync, compat::FastCall fast = {})
      : name(std::move(name)), callback(callback), arity(arity), mode(mode), fast(fast) {}

  std::string name;  // "op_print": unique across the whole runtime.
  v8::FunctionCallback callback;
  int arity = 0;  // Declared argument count (Function.length); part of the op's signature.
  OpMode mode = OpMode::kSync;
  // The op's Fast API function, if it has one (compat/fast_call.h): V8 13.6's optimized code
  // calls it instead of `callback`; empty on a V8 without the Fast API.
  compat::FastCall fast;
};

struct ExtensionDecl {
  std::string name;
  std::vector<OpDecl> ops;  // Declaration order is op-id order within the extension.
};

// Process-wide table of native extensions, filled before main() by V8SNAP_REGISTER_EXTENSION.
class ExtensionRegistry {
 public:
  static ExtensionRegistry& Global();

  // Adds an extension. A second registration under the same name is a programming error and
  // aborts at start-up with both names printed.
  void Register(ExtensionDecl decl);

  // nullptr when no native extension has that name (the extension is then JS-only).
  const ExtensionDecl* Find(const std::string& name) const;

  // Registered names, sorted (for "available: ..." messages).
  std::vector<std::string> Names() const;

 private:
  std::map<std::string, ExtensionDecl> extensions_;
};

// Registers at static-initialization time; use through V8SNAP_REGISTER_EXTENSION.
struct ExtensionRegistrar {
  ExtensionRegistrar(const char* name, std::vector<OpDecl> ops) {
    ExtensionRegistry::Global().Register(ExtensionDecl{name, std::move(ops)});
  }
};

#define V8SNAP_REGISTER_EXTENSION(name, ...)                                 \
  static ::v8snap::ExtensionRegistrar v8snap_extension_registrar_##name( \
      #name, std::vector<::v8snap::OpDecl> __VA_ARGS__)

}  // namespace v8snap

#endif  // V8SNAP_RUNTIME_EXTENSION_H_
