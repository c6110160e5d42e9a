// Byte counts for people: "512 B", "1.5 KiB", "12.3 MiB", and signed deltas ("+2.0 KiB").
#ifndef V8SNAP_SNAPSHOT_INSPECT_HUMAN_SIZE_H_
#define V8SNAP_SNAPSHOT_INSPECT_HUMAN_SIZE_H_

#include <cstdint>
#include <string>

namespace v8snap::inspect {

// Binary units (1 KiB = 1024 B), one decimal from KiB up; exact below 1 KiB.
std::string HumanSize(int64_t bytes);

// HumanSize with an explicit sign: "+1.5 KiB", "-300 B"; "0 B" for no change.
std::string HumanDelta(int64_t delta);

// "1,234,567": exact counts with thousands separators.
std::string GroupedNumber(int64_t n);

}  // namespace v8snap::inspect

#endif  // V8SNAP_SNAPSHOT_INSPECT_HUMAN_SIZE_H_
