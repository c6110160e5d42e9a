// The builder's fixed clock: SOURCE_DATE_EPOCH or v8snap's default.
#include "runtime/build_clock.h"

#include <time.h>

#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace v8snap {
namespace {

constexpr char kVariable[] = "SOURCE_DATE_EPOCH";
// A JS Date holds at most 8.64e15 ms either side of the epoch.
constexpr int64_t kMaxDateSeconds = 8640000000000;

std::string Iso8601(int64_t unix_seconds) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(unix_seconds),
                          absl::UTCTimeZone());
}

}  // namespace

absl::StatusOr<BuildClock> BuildClockFromEnvironment() {
  BuildClock clock;
  const char* value = std::getenv(kVariable);
  if (value == nullptr) return clock;
  absl::string_view text = value;
  absl::string_view digits = text;
  if (!digits.empty() && digits.front() == '-') digits.remove_prefix(1);
  bool all_digits = !digits.empty();
  for (char c : digits)
    all_digits = all_digits && absl::ascii_isdigit(static_cast<unsigned char>(c));
  int64_t seconds = 0;
  if (!all_digits || !absl::SimpleAtoi(text, &seconds) || seconds > kMaxDateSeconds ||
      seconds < -kMaxDateSeconds) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the environment variable ", kVariable, " is '", absl::CEscape(text),
        "': expected the build time as whole seconds since 1970-01-01T00:00:00Z, as `date +%s` "
        "prints it (e.g. 1700000000), within a JS Date's range (at most ",
        kMaxDateSeconds, " either side of 0)\n  fix: set ", kVariable,
        "=$(git log -1 --format=%ct) (the last commit's time), or unset it for v8snap's fixed "
        "default, ",
        Iso8601(kDefaultBuildClockUnixSeconds)));
  }
  clock.unix_seconds = seconds;
  clock.from_source_date_epoch = true;
  return clock;
}

std::string DescribeBuildClock(const BuildClock& clock) {
  return absl::StrCat(
      "build clock: fixed at ", Iso8601(clock.unix_seconds), " (",
      clock.from_source_date_epoch
          ? absl::StrCat(kVariable, "=", clock.unix_seconds)
          : absl::StrCat("v8snap's default; set ", kVariable, " to choose"),
      "): Date.now(), new Date() and performance.timeOrigin read it, performance.now() reads 0; "
      "Math.random() uses the fixed seed (--random-seed=1)");
}

std::string FixBuildTimeZone() {
  const char* zone = std::getenv("TZ");
  if (zone != nullptr) {
    return absl::StrCat("time zone: ", *zone == '\0' ? "UTC" : zone, " (TZ='",
                        absl::CEscape(zone), "')");
  }
  setenv("TZ", "UTC", /*overwrite=*/1);
  tzset();
  return "time zone: UTC (TZ is unset, and the machine's own zone would make local dates differ "
         "between build machines; set TZ to choose)";
}

}  // namespace v8snap
