// The registry of fuzz targets.
#include "fuzz/fuzz_target.h"

namespace v8snap::fuzz {

std::map<std::string, FuzzFunction>& FuzzTargets() {
  static auto* targets = new std::map<std::string, FuzzFunction>();
  return *targets;
}

}  // namespace v8snap::fuzz
