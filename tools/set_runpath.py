#!/usr/bin/env python3
# Narrows installed executables' RUNPATH to its last entry, in place, without patchelf.
#
# Usage: tools/set_runpath.py KEEP FILE...
#
# Tools in the build tree carry RUNPATH "<clone>/third_party/v8/usr/lib/x86_64-linux-gnu:KEEP"
# (build/config/BUILD.gn) so they run from the tree; installed, they must look for libnode only
# in KEEP ($ORIGIN/../lib), never in a clone that may be gone or hold another V8. The string table
# is left as it is (the linker may share its bytes with other strings): only the DT_RUNPATH
# entry's offset moves to where KEEP starts inside the old string, so nothing else can break.
# Refuses (exit 1) anything that is not a 64-bit little-endian ELF whose RUNPATH ends with KEEP.
import struct
import sys

PT_LOAD, PT_DYNAMIC = 1, 2
DT_NULL, DT_STRTAB, DT_RPATH, DT_RUNPATH = 0, 5, 15, 29


def fail(path, message):
    print(f"set_runpath: {path}: {message}", file=sys.stderr)
    sys.exit(1)


def narrow(path, keep):
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF":
        fail(path, "not an ELF file")
    if data[4] != 2 or data[5] != 1:
        fail(path, "expected a 64-bit little-endian ELF file (x86_64)")
    phoff = struct.unpack_from("<Q", data, 0x20)[0]
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    loads, dynamic = [], None
    for i in range(phnum):
        p_type, _, p_offset, p_vaddr, _, p_filesz = struct.unpack_from(
            "<IIQQQQ", data, phoff + i * phentsize)
        if p_type == PT_LOAD:
            loads.append((p_vaddr, p_offset, p_filesz))
        elif p_type == PT_DYNAMIC:
            dynamic = (p_offset, p_filesz)
    if dynamic is None:
        fail(path, "has no dynamic section (a static executable has no RUNPATH)")

    def file_offset(vaddr):
        for start, offset, size in loads:
            if start <= vaddr < start + size:
                return offset + vaddr - start
        fail(path, f"address {vaddr:#x} is in no loaded segment")

    entries = {}
    for at in range(dynamic[0], dynamic[0] + dynamic[1], 16):
        tag, value = struct.unpack_from("<qQ", data, at)
        if tag == DT_NULL:
            break
        entries.setdefault(tag, (at, value))
    if DT_STRTAB not in entries:
        fail(path, "has no dynamic string table")
    strtab = file_offset(entries[DT_STRTAB][1])
    tag = DT_RUNPATH if DT_RUNPATH in entries else DT_RPATH
    if tag not in entries:
        fail(path, "has no RUNPATH to narrow")
    at, value = entries[tag]
    start = strtab + value
    old = data[start:data.index(b"\0", start)]
    want = keep.encode()
    if old == want:
        return
    if not old.endswith(b":" + want):
        fail(path, f"RUNPATH is '{old.decode(errors='replace')}', which does not end with "
                   f"':{keep}': keep it the last -rpath in build/config/BUILD.gn")
    with open(path, "r+b") as f:
        f.seek(at + 8)
        f.write(struct.pack("<Q", value + len(old) - len(want)))


def main(argv):
    if len(argv) < 3:
        print("usage: tools/set_runpath.py KEEP FILE...", file=sys.stderr)
        return 2
    for path in argv[2:]:
        narrow(path, argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
