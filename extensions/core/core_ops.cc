// The `core` extension's ops: the minimal native surface every runtime has.
#include <string>

#include "runtime/extension.h"
#include "runtime/op_args.h"
#include "runtime/process_output.h"

namespace v8snap {
namespace {

// op_print(text, toStderr): writes text as is (no newline added), unbuffered by JS. Like
// console's writes, it stops the script quietly once stdout's reader has gone.
void OpPrint(const v8::FunctionCallbackInfo<v8::Value>& info) {
  std::string text = OpArgString(info, 0);
  bool to_stderr = info[1]->BooleanValue(info.GetIsolate());
  if (!WriteOutput(to_stderr ? OutputStream::kStderr : OutputStream::kStdout, text)) {
    info.GetIsolate()->TerminateExecution();
  }
}

}  // namespace
}  // namespace v8snap

V8SNAP_REGISTER_EXTENSION(core, {
                                    {"op_print", v8snap::OpPrint, 2, v8snap::OpMode::kSync},
                                });
