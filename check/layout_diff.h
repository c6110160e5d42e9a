// THE function that compares two snapshot layouts. The runtime's load-time check, snapshot_inspect
// verify and snapshot_inspect diff all call it, so they can never disagree. No V8 here.
#ifndef V8SNAP_CHECK_LAYOUT_DIFF_H_
#define V8SNAP_CHECK_LAYOUT_DIFF_H_

#include <string>
#include <vector>

#include "format/sidecar.pb.h"

namespace v8snap {

struct LayoutChange {
  enum class Kind {
    kExtensionOrder,    // both have it, at different places relative to the others
    kExtensionRemoved,  // the old side has it, the new side does not
    kExtensionAdded,
    kOpRemoved,
    kOpAdded,
    kOpRenamed,         // same extension and id, another name
    kOpMoved,           // same name, another id or extension
    kOpSignature,       // same name and id, another arity or sync/async
    kReferenceChanged,  // the external-reference table differs at an index
    kOpReferences,      // same op, other external references (resolved to their names)
    kMalformed,         // one side lists an entry twice or contradicts itself
  };
  Kind kind;
  // What changed: "extension 'console'", "op 'op_print'", "external reference #3".
  std::string subject;
  // Position on the old side (extension index, op id, reference index); on the new side for
  // additions. For kMalformed, the position on the malformed side.
  int position = 0;
  // For kMalformed, the problem ("listed twice: ids 0 and 3") on the side that has it; the
  // other side's value is empty.
  std::string old_value;
  std::string new_value;

  // One line: "op 'op_print' moved: id 3 in the snapshot, id 4 in this runtime".
  std::string Describe(const std::string& old_label, const std::string& new_label) const;
};

// Every difference between `old_layout` and `new_layout`, extension-level changes first, then
// ops in old id order, then additions, then reference-table differences not already explained.
// Empty means the two bind every op to the same function. A layout that lists an extension, op
// or reference twice, or whose records contradict each other, cannot be compared entry by entry:
// then only its kMalformed problems are returned.
std::vector<LayoutChange> DiffLayouts(const Layout& old_layout, const Layout& new_layout);

// "extension order", "op added", ... for reports and JSON.
const char* LayoutChangeKindName(LayoutChange::Kind kind);

}  // namespace v8snap

#endif  // V8SNAP_CHECK_LAYOUT_DIFF_H_
