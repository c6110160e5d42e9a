// The `console` extension's ops: writing formatted lines to stdout or stderr.
#include <cstdio>
#include <string>

#include "runtime/extension.h"
#include "runtime/op_args.h"

namespace v8snap {
namespace {

// op_console_write(text, toStderr): writes one line (a newline is appended).
void OpConsoleWrite(const v8::FunctionCallbackInfo<v8::Value>& info) {
  std::string line = OpArgString(info, 0);
  line.push_back('\n');
  FILE* stream = info[1]->BooleanValue(info.GetIsolate()) ? stderr : stdout;
  std::fwrite(line.data(), 1, line.size(), stream);
  std::fflush(stream);
}

}  // namespace
}  // namespace v8snap

V8SNAP_REGISTER_EXTENSION(console, {
    {"op_console_write", v8snap::OpConsoleWrite, 2, v8snap::OpMode::kSync},
});
