// Encoding, decoding and verified reading/writing of the blob + sidecar pair.
#include "format/snapshot_files.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "format/atomic_file.h"
#include "format/content_hash.h"
#include "format/status_macros.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/stubs/logging.h"

namespace v8snap {

std::string EscapeForMessage(absl::string_view value) {
  constexpr size_t kMaxShown = 64;
  if (value.size() <= kMaxShown) return absl::CHexEscape(value);
  return absl::StrCat(absl::CHexEscape(value.substr(0, kMaxShown)), "... (", value.size(),
                      " bytes)");
}

namespace {
ToolNames& MutableToolNames() {
  static ToolNames* names = new ToolNames();
  return *names;
}
}  // namespace

const ToolNames& MessageToolNames() { return MutableToolNames(); }
void SetMessageToolNames(ToolNames names) { MutableToolNames() = std::move(names); }

std::string RebuildOutPath(const std::string& blob_path) {
  return absl::StrContains(blob_path, "/share/v8snap/") ? "app.bin" : blob_path;
}

std::string SidecarPathFor(const std::string& blob_path) {
  return absl::StrCat(blob_path, ".sidecar.pb");
}

std::string EncodeSidecar(const Sidecar& sidecar) {
  SidecarFile file;
  file.set_magic(std::string(kSidecarMagic));
  file.set_format_version(kSidecarFormatVersion);
  std::string payload;
  // Deterministic: map fields (none today) and unknown fields serialize in a fixed order.
  {
    google::protobuf::io::StringOutputStream stream(&payload);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    sidecar.SerializeToCodedStream(&coded);
  }
  file.set_payload_xxh3_128(Xxh3Hex(payload));
  file.set_payload(std::move(payload));
  return file.SerializeAsString();
}

absl::Status DecodeSidecarInto(absl::string_view bytes, const std::string& path, Sidecar* out) {
  auto corrupt = [&](absl::string_view what) {
    return absl::DataLossError(
        absl::StrCat("sidecar '", path, "' is corrupt: ", what, ". Rebuild the snapshot with ",
                     MessageToolNames().builder, " to get a matching blob and sidecar."));
  };
  if (bytes.empty()) return corrupt("the file is empty");
  // The messages below say what is wrong; a line protobuf would log on the way (say, about
  // invalid UTF-8 in a string field of a crafted payload) would only be noise on stderr.
  google::protobuf::LogSilencer quiet;
  // The envelope goes where the sidecar goes: on its arena, if it has one.
  SidecarFile heap_file;
  google::protobuf::Arena* arena = out->GetArena();
  SidecarFile& file =
      arena == nullptr ? heap_file : *google::protobuf::Arena::CreateMessage<SidecarFile>(arena);
  if (!file.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return corrupt("it is not a v8snap sidecar envelope (protobuf parse failed)");
  }
  if (file.magic() != kSidecarMagic) {
    return corrupt(absl::StrCat("expected magic '", kSidecarMagic, "', found '",
                                EscapeForMessage(file.magic()), "'"));
  }
  if (file.format_version() != kSidecarFormatVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "sidecar '", path, "' has format version ", file.format_version(),
        ", but this v8snap reads version ", kSidecarFormatVersion,
        ". Rebuild the snapshot with this version of ", MessageToolNames().builder, "."));
  }
  std::string actual = Xxh3Hex(file.payload());
  if (actual != file.payload_xxh3_128()) {
    return corrupt(absl::StrCat("payload checksum is ", actual, ", the envelope records '",
                                EscapeForMessage(file.payload_xxh3_128()), "'"));
  }
  if (!out->ParseFromString(file.payload())) {
    return corrupt("the payload is not a valid Sidecar message");
  }
  return absl::OkStatus();
}

absl::StatusOr<Sidecar> DecodeSidecar(absl::string_view bytes, const std::string& path) {
  Sidecar sidecar;
  RETURN_IF_ERROR(DecodeSidecarInto(bytes, path, &sidecar));
  return sidecar;
}

std::string StagedSidecarPathFor(const std::string& blob_path) {
  return absl::StrCat(SidecarPathFor(blob_path), ".next");
}

absl::Status FinishInterruptedWrite(const std::string& blob_path) {
  const std::string staged_path = StagedSidecarPathFor(blob_path);
  auto staged_bytes = ReadFileToString(staged_path);
  if (!staged_bytes.ok()) return absl::OkStatus();  // nothing staged
  auto staged = DecodeSidecar(*staged_bytes, staged_path);
  auto blob = ReadFileToString(blob_path);
  if (staged.ok() && blob.ok() && VerifyBlobMatchesSidecar(*blob, *staged, blob_path).ok()) {
    return RenameDurably(staged_path, SidecarPathFor(blob_path));
  }
  return absl::OkStatus();  // staged by a build killed before its blob: harmless, overwritten
}

absl::Status CheckSnapshotOutputPath(const std::string& blob_path, absl::string_view option) {
  RETURN_IF_ERROR(CheckOutputFilePath(blob_path, option));
  for (const std::string& path : {SidecarPathFor(blob_path), StagedSidecarPathFor(blob_path)}) {
    struct stat st;
    if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      return absl::InvalidArgumentError(
          absl::StrCat("'", path, "', where the sidecar of '", blob_path,
                       "' goes, is a folder: remove it or choose another ", option));
    }
  }
  return absl::OkStatus();
}

absl::Status WriteSnapshotPair(const std::string& blob_path, absl::string_view blob,
                               Sidecar* sidecar) {
  RETURN_IF_ERROR(CheckSnapshotOutputPath(blob_path));
  sidecar->mutable_blob()->set_size(blob.size());
  sidecar->mutable_blob()->set_xxh3_128(Xxh3Hex(blob));
  const std::string sidecar_path = SidecarPathFor(blob_path);
  const std::string staged_path = StagedSidecarPathFor(blob_path);
  for (const std::string& path : {blob_path, sidecar_path, staged_path}) {
    RemoveStaleTempFiles(path);
  }
  // A build killed between its last two renames left a blob whose sidecar is still staged:
  // finish that rename first, or staging ours would orphan the blob on disk.
  RETURN_IF_ERROR(FinishInterruptedWrite(blob_path));
  RETURN_IF_ERROR(WriteFileAtomically(staged_path, EncodeSidecar(*sidecar)));
  if (absl::Status written = WriteFileAtomically(blob_path, blob); !written.ok()) {
    // The old pair (if any) is untouched; our staged sidecar matches no blob on disk.
    unlink(staged_path.c_str());
    return written;
  }
  return RenameDurably(staged_path, sidecar_path);
}

absl::Status VerifyBlobMatchesSidecar(absl::string_view blob, const Sidecar& sidecar,
                                      const std::string& blob_path) {
  const std::string fix = absl::StrCat(
      " The blob and its sidecar are not from the same build (or one is corrupt): rebuild both "
      "with ",
      MessageToolNames().builder, ", or copy them together.");
  if (blob.size() != sidecar.blob().size()) {
    return absl::DataLossError(absl::StrCat("snapshot blob '", blob_path, "' is ", blob.size(),
                                            " bytes, but its sidecar records ",
                                            sidecar.blob().size(), " bytes.", fix));
  }
  std::string actual = Xxh3Hex(blob);
  if (actual != sidecar.blob().xxh3_128()) {
    return absl::DataLossError(absl::StrCat("snapshot blob '", blob_path, "' has XXH3-128 ", actual,
                                            ", but its sidecar records ", sidecar.blob().xxh3_128(),
                                            ".", fix));
  }
  return absl::OkStatus();
}

absl::StatusOr<SnapshotPair> ReadSnapshotPair(const std::string& blob_path) {
  std::string sidecar_path = SidecarPathFor(blob_path);
  auto sidecar_bytes = ReadFileToString(sidecar_path);
  if (absl::IsNotFound(sidecar_bytes.status())) {
    struct stat st;
    const int blob_errno = stat(blob_path.c_str(), &st) == 0 ? 0 : errno;
    if (blob_errno == ENOENT || blob_errno == ENOTDIR) {
      // Neither file is there: the path is wrong, or nothing was built yet.
      return absl::NotFoundError(
          absl::StrCat("no snapshot blob at '", blob_path, "': ", std::strerror(blob_errno),
                       ". Check the path, or build the snapshot there with ",
                       MessageToolNames().builder, " --manifest MANIFEST --out ", blob_path));
    }
    return absl::NotFoundError(
        absl::StrCat("no sidecar at '", sidecar_path, "': v8snap only loads blobs written by ",
                     MessageToolNames().builder, ", which writes the sidecar next to the blob. ",
                     sidecar_bytes.status().message()));
  }
  RETURN_IF_ERROR(sidecar_bytes.status());
  SnapshotPair pair;
  ASSIGN_OR_RETURN(pair.sidecar, DecodeSidecar(*sidecar_bytes, sidecar_path));
  absl::StatusOr<std::string> blob = ReadFileToString(blob_path);
  if (absl::IsNotFound(blob.status())) {
    return absl::NotFoundError(
        absl::StrCat("snapshot blob '", blob_path, "' is missing (", blob.status().message(),
                     "), though its sidecar '", sidecar_path,
                     "' is there: copy the blob and its sidecar together, or rebuild both with ",
                     MessageToolNames().builder));
  }
  RETURN_IF_ERROR(blob.status());
  pair.blob = *std::move(blob);
  absl::Status match = VerifyBlobMatchesSidecar(pair.blob, pair.sidecar, blob_path);
  if (match.ok()) return pair;

  // Roll forward to a staged sidecar that matches (see WriteSnapshotPair).
  const std::string staged_path = StagedSidecarPathFor(blob_path);
  auto staged_bytes = ReadFileToString(staged_path);
  if (staged_bytes.ok()) {
    auto staged = DecodeSidecar(*staged_bytes, staged_path);
    if (staged.ok() && VerifyBlobMatchesSidecar(pair.blob, *staged, blob_path).ok()) {
      pair.sidecar = *std::move(staged);
      return pair;
    }
  }
  return match;
}

}  // namespace v8snap
