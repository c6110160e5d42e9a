// RETURN_IF_ERROR / ASSIGN_OR_RETURN: Debian's Abseil (20220623) predates status_macros.h.
#ifndef V8SNAP_FORMAT_STATUS_MACROS_H_
#define V8SNAP_FORMAT_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define V8SNAP_CONCAT_INNER_(a, b) a##b
#define V8SNAP_CONCAT_(a, b) V8SNAP_CONCAT_INNER_(a, b)

// Returns the status of `expr` from the enclosing function if it is not OK.
#define RETURN_IF_ERROR(expr)                                   \
  do {                                                          \
    ::absl::Status v8snap_status_ = (expr);                     \
    if (!v8snap_status_.ok()) return v8snap_status_;            \
  } while (0)

// `ASSIGN_OR_RETURN(auto x, F());` binds the value of a StatusOr or returns its status.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL_(V8SNAP_CONCAT_(v8snap_statusor_, __LINE__), lhs, expr)

#define ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                           \
  if (!statusor.ok()) return statusor.status();     \
  lhs = std::move(statusor).value()

#endif  // V8SNAP_FORMAT_STATUS_MACROS_H_
