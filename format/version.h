// v8snap's own version, recorded in every sidecar and printed by --version.
#ifndef V8SNAP_FORMAT_VERSION_H_
#define V8SNAP_FORMAT_VERSION_H_

namespace v8snap {

inline constexpr char kV8snapVersion[] = "0.1.0";

}  // namespace v8snap

#endif  // V8SNAP_FORMAT_VERSION_H_
