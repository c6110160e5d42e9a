// The `core` extension's ops: the minimal native surface every runtime has.
#include <cstdio>
#include <string>

#include "runtime/extension.h"
#include "runtime/op_args.h"

namespace v8snap {
namespace {

// op_print(text, toStderr): writes text as is (no newline added), unbuffered by JS.
void OpPrint(const v8::FunctionCallbackInfo<v8::Value>& info) {
  std::string text = OpArgString(info, 0);
  FILE* stream = info[1]->BooleanValue(info.GetIsolate()) ? stderr : stdout;
  std::fwrite(text.data(), 1, text.size(), stream);
  std::fflush(stream);
}

}  // namespace
}  // namespace v8snap

V8SNAP_REGISTER_EXTENSION(core, {
    {"op_print", v8snap::OpPrint, 2, v8snap::OpMode::kSync},
});
