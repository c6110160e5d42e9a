// Fuzzes the V8 blob header reader: it must refuse garbage without reading out of bounds.
#include "format/v8_blob_header.h"
#include "fuzz/fuzz_target.h"

V8SNAP_FUZZ_TARGET(blob_header) {
  std::string blob = v8snap::fuzz::AsString(data, size);
  (void)v8snap::ParseV8BlobHeader(blob);
}
