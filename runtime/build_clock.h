// The wall clock JS reads while a snapshot is built: fixed, so that a build whose JS reads the
// time gives the same bytes at any time. SOURCE_DATE_EPOCH (the reproducible-builds
// convention, https://reproducible-builds.org/specs/source-date-epoch/) chooses it; without it,
// v8snap's default below.
//
// Usage (the builder, before V8 starts):
//   ASSIGN_OR_RETURN(BuildClock clock, BuildClockFromEnvironment());
//   V8Process::Initialize(flags, clock.unix_ms());
//   fprintf(stderr, "%s\n", DescribeBuildClock(clock).c_str());   // with --verbose
#ifndef V8SNAP_RUNTIME_BUILD_CLOCK_H_
#define V8SNAP_RUNTIME_BUILD_CLOCK_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace v8snap {

// 2000-01-01T00:00:00Z. Not 0: code reads a zero time as "unset" (`if (!mtime)`), and 1970-01-01
// is still 1969 west of UTC, so local dates would fall before the epoch. A round date long
// before any real build is also easy to recognise as the build clock when it shows up.
inline constexpr int64_t kDefaultBuildClockUnixSeconds = 946684800;

struct BuildClock {
  int64_t unix_seconds = kDefaultBuildClockUnixSeconds;
  bool from_source_date_epoch = false;  // else v8snap's default
  double unix_ms() const { return static_cast<double>(unix_seconds) * 1000; }
};

// SOURCE_DATE_EPOCH's time when it is set, else the default. kInvalidArgument when it is set
// but not whole seconds since the Unix epoch within the range of a JS Date (a usage error:
// the message names the variable, its value and the fix).
absl::StatusOr<BuildClock> BuildClockFromEnvironment();

// "the build clock is fixed at 2023-11-14T22:13:20Z (SOURCE_DATE_EPOCH=1700000000): ...".
std::string DescribeBuildClock(const BuildClock& clock);

// The time zone JS sees while building: TZ when the caller set it (a choice written in the build
// command), else UTC rather than the machine's own zone (/etc/localtime), so that a build that
// keeps a local date or an offset gives the same bytes on every machine. Sets TZ for this
// process, so call it before V8 starts (V8 and ICU read the zone once). Returns a line for
// --verbose: "time zone: UTC (TZ is unset; set TZ to choose)".
std::string FixBuildTimeZone();

}  // namespace v8snap

#endif  // V8SNAP_RUNTIME_BUILD_CLOCK_H_
