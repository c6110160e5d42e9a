// Human-readable sizes in binary units.
#include "snapshot_inspect/human_size.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace v8snap::inspect {

std::string HumanSize(int64_t bytes) {
  if (bytes < 0) return absl::StrCat("-", HumanSize(-bytes));
  if (bytes < 1024) return absl::StrCat(bytes, " B");
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes) / 1024;
  int unit = 0;
  // Switch units at 1023.95 so that rounding never prints "1024.0 KiB".
  while (value >= 1023.95 && unit < 3) {
    value /= 1024;
    ++unit;
  }
  return absl::StrFormat("%.1f %s", value, kUnits[unit]);
}

std::string HumanDelta(int64_t delta) {
  if (delta == 0) return "0 B";
  return delta > 0 ? absl::StrCat("+", HumanSize(delta)) : HumanSize(delta);
}

std::string GroupedNumber(int64_t n) {
  std::string digits = absl::StrCat(n < 0 ? -static_cast<uint64_t>(n) : static_cast<uint64_t>(n));
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return n < 0 ? "-" + out : out;
}

}  // namespace v8snap::inspect
