#!/usr/bin/env python3
"""Binds libnode's calls to its own functions once, in the file, instead of at every start.

Debian's libnode.so.108 is linked with BIND_NOW and without -Bsymbolic: before main, the
dynamic loader resolves each of its 29,820 PLT slots by looking the function's name up in
every loaded object, in order (the executable first, then libnode, ...). 24,130 of those
names are functions that libnode itself defines with a strong, global definition, and the
lookup ends in libnode unless an object searched before it defines a function of the same
name: for a strong definition that would be a second definition of one function, which no
v8snap program has (`--verify PROGRAM...` checks a program). Those lookups are about a third
of a direct start of snapshot_run (docs/performance.md, "The direct-start floor").

This script turns each such R_X86_64_JUMP_SLOT relocation into an R_X86_64_RELATIVE one whose
addend is the function's address, which the loader applies with one addition. BIND_NOW, the
RELRO protection of the GOT, the symbol tables, the data relocations and the calls to other
libraries (and to libnode's weak definitions, which an executable may legitimately provide)
are left as they are. What changes for a running program: nothing, but that such a call can
no longer be interposed (LD_PRELOAD, or an auditor's PLT hooks), as with -Bsymbolic-functions.

The converted entries are moved from the PLT relocations to the other ones, right after the
relative relocations (DT_RELACOUNT grows), and the PLT stubs of the remaining slots get their
new indexes, so that lazy binding (LD_AUDIT with PLT hooks, LD_PROFILE, sotruss) still works.

Usage:
  bind_libnode_calls.py LIBNODE            rewrite it (atomically; a no-op when already done)
  bind_libnode_calls.py --dry-run LIBNODE  say what would change
  bind_libnode_calls.py --verify LIBNODE PROGRAM...
                                           exit 1 if a program defines a strong function that
                                           LIBNODE defines too (its calls would bind otherwise)
Only ELF64 x86-64 shared objects with RELA relocations are handled; anything else is refused.
"""
import argparse
import os
import struct
import sys
import tempfile

PT_LOAD, PT_DYNAMIC = 1, 2
SHT_DYNSYM = 11
DT_NULL, DT_PLTRELSZ, DT_PLTGOT, DT_STRTAB, DT_SYMTAB, DT_RELA, DT_RELASZ = 0, 2, 3, 5, 6, 7, 8
DT_RELAENT, DT_PLTREL, DT_JMPREL, DT_RELACOUNT = 9, 20, 23, 0x6FFFFFF9
R_X86_64_JUMP_SLOT, R_X86_64_RELATIVE = 7, 8
STT_FUNC, STB_GLOBAL, SHN_UNDEF, SHN_LORESERVE = 2, 1, 0, 0xFF00
RELA = struct.Struct("<QQq")
SYM = struct.Struct("<IBBHQQ")


class ElfError(Exception):
    pass


class Elf:
    """The parts of an ELF64 x86-64 file that dynamic relocation involves."""

    def __init__(self, data, path):
        self.data = data
        self.path = path
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            raise ElfError(f"{path} is not a little-endian ELF64 file")
        e_type, e_machine = struct.unpack_from("<HH", data, 16)
        if e_machine != 62:
            raise ElfError(f"{path} is not an x86-64 file (e_machine {e_machine})")
        self.e_type = e_type
        phoff, shoff = struct.unpack_from("<QQ", data, 0x20)
        phentsize, phnum, shentsize, shnum, shstrndx = struct.unpack_from("<HHHHH", data, 0x36)
        self.segments = []
        for i in range(phnum):
            p = struct.unpack_from("<IIQQQQQQ", data, phoff + i * phentsize)
            self.segments.append(
                dict(type=p[0], offset=p[2], vaddr=p[3], filesz=p[5], memsz=p[6]))
        self.sections = []
        for i in range(shnum):
            s = struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
            self.sections.append(dict(header=shoff + i * shentsize, name=s[0], type=s[1],
                                      addr=s[3], offset=s[4], size=s[5]))
        if shnum and shstrndx < shnum:
            names = self.sections[shstrndx]["offset"]
            for s in self.sections:
                s["name"] = self.cstring(names + s["name"])
        dynamic = [s for s in self.segments if s["type"] == PT_DYNAMIC]
        if not dynamic:
            raise ElfError(f"{path} has no dynamic section")
        self.dynamic = []  # (file offset of the entry, tag, value)
        at = dynamic[0]["offset"]
        while True:
            tag, value = struct.unpack_from("<qQ", data, at)
            if tag == DT_NULL:
                break
            self.dynamic.append((at, tag, value))
            at += 16
        self.dyn = {tag: value for _, tag, value in self.dynamic}
        dynsyms = [s for s in self.sections if s["type"] == SHT_DYNSYM]
        if not dynsyms or DT_SYMTAB not in self.dyn or DT_STRTAB not in self.dyn:
            raise ElfError(f"{path} has no dynamic symbol table")
        self.symtab = self.offset(self.dyn[DT_SYMTAB])
        self.strtab = self.offset(self.dyn[DT_STRTAB])
        self.nsyms = dynsyms[0]["size"] // SYM.size

    @staticmethod
    def segments_of(data):
        phoff = struct.unpack_from("<Q", data, 0x20)[0]
        phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
        return [dict(type=struct.unpack_from("<I", data, phoff + i * phentsize)[0])
                for i in range(phnum)]

    def offset(self, vaddr):
        for s in self.segments:
            if s["type"] == PT_LOAD and s["vaddr"] <= vaddr < s["vaddr"] + s["filesz"]:
                return vaddr - s["vaddr"] + s["offset"]
        raise ElfError(f"{self.path}: address {vaddr:#x} is in no loaded part of the file")

    def cstring(self, at):
        end = self.data.index(b"\0", at)
        return bytes(self.data[at:end]).decode("utf-8", "replace")

    def symbol(self, index):
        return SYM.unpack_from(self.data, self.symtab + index * SYM.size)

    def strong_functions(self):
        """Names of the functions this file defines with a strong, global definition."""
        names = set()
        for i in range(1, self.nsyms):
            st_name, st_info, _, st_shndx, _, _ = self.symbol(i)
            if (st_info & 0xF) == STT_FUNC and (st_info >> 4) == STB_GLOBAL and \
                    SHN_UNDEF < st_shndx < SHN_LORESERVE:
                names.add(self.cstring(self.strtab + st_name))
        return names


def bind_calls(elf):
    """Rewrites elf.data (a bytearray). Returns (converted, remaining JUMP_SLOTs)."""
    d, data = elf.dyn, elf.data
    for tag, what in ((DT_RELA, "DT_RELA"), (DT_JMPREL, "DT_JMPREL")):
        if tag not in d:
            raise ElfError(f"{elf.path} has no {what}")
    if d.get(DT_PLTREL) != DT_RELA or d.get(DT_RELAENT, RELA.size) != RELA.size:
        raise ElfError(f"{elf.path}: PLT relocations are not RELA entries of 24 bytes")
    rela_at, jmprel_at = elf.offset(d[DT_RELA]), elf.offset(d[DT_JMPREL])
    rela_n, plt_n = d[DT_RELASZ] // RELA.size, d[DT_PLTRELSZ] // RELA.size
    if d[DT_RELA] + d[DT_RELASZ] != d[DT_JMPREL] or jmprel_at != rela_at + d[DT_RELASZ]:
        raise ElfError(f"{elf.path}: the PLT relocations do not follow the others directly")
    relative_n = d.get(DT_RELACOUNT, 0)
    rela = [RELA.unpack_from(data, rela_at + i * RELA.size) for i in range(rela_n)]
    plt = [RELA.unpack_from(data, jmprel_at + i * RELA.size) for i in range(plt_n)]
    if any((r[1] & 0xFFFFFFFF) != R_X86_64_RELATIVE for r in rela[:relative_n]):
        raise ElfError(f"{elf.path}: DT_RELACOUNT counts entries that are not relative")

    bound, kept = [], []
    for r_offset, r_info, r_addend in plt:
        r_type, index = r_info & 0xFFFFFFFF, r_info >> 32
        if r_type == R_X86_64_JUMP_SLOT and index != 0 and r_addend == 0:
            _, st_info, _, st_shndx, st_value, _ = elf.symbol(index)
            if (st_info & 0xF) == STT_FUNC and (st_info >> 4) == STB_GLOBAL and \
                    SHN_UNDEF < st_shndx < SHN_LORESERVE:
                bound.append((r_offset, R_X86_64_RELATIVE, st_value))
                continue
        kept.append((r_offset, r_info, r_addend))
    if not bound:
        return 0, len(kept)

    # The PLT stubs of the slots that stay: `jmp *slot(%rip); push $index; jmp PLT0`.
    plt_sections = [s for s in elf.sections if s["name"] == ".plt"]
    if len(plt_sections) != 1 or plt_sections[0]["size"] != 16 * (plt_n + 1):
        raise ElfError(f"{elf.path}: expected a .plt of {plt_n + 1} 16-byte entries")
    plt_section = plt_sections[0]
    new_index = {r[0]: i for i, r in enumerate(kept)}
    stub_patches = []
    for k in range(plt_n):
        at = plt_section["offset"] + 16 * (k + 1)
        stub = bytes(data[at:at + 16])
        if stub[0:2] != b"\xff\x25" or stub[6] != 0x68 or stub[11] != 0xE9:
            raise ElfError(f"{elf.path}: PLT entry {k} is not a lazy-binding stub")
        slot = plt_section["addr"] + 16 * (k + 1) + 6 + struct.unpack_from("<i", stub, 2)[0]
        if struct.unpack_from("<I", stub, 7)[0] != k:
            raise ElfError(f"{elf.path}: PLT entry {k} pushes another index")
        if slot in new_index:
            stub_patches.append((at + 7, new_index[slot]))

    # Relative relocations first (the loader's fast path, DT_RELACOUNT), then the rest of the
    # others in their order, then the PLT relocations that still name a symbol.
    entries = rela[:relative_n] + bound + rela[relative_n:] + kept
    for i, entry in enumerate(entries):
        RELA.pack_into(data, rela_at + i * RELA.size, *entry)
    for at, index in stub_patches:
        struct.pack_into("<I", data, at, index)
    moved = len(bound) * RELA.size
    for at, tag, value in elf.dynamic:
        new = {DT_RELASZ: value + moved, DT_JMPREL: value + moved, DT_PLTRELSZ: value - moved,
               DT_RELACOUNT: value + len(bound)}.get(tag)
        if new is not None:
            struct.pack_into("<qQ", data, at, tag, new)
    # Section headers, for tools that read them (readelf, objdump).
    for s in elf.sections:
        if s["name"] == ".rela.dyn":
            struct.pack_into("<Q", data, s["header"] + 32, s["size"] + moved)
        elif s["name"] == ".rela.plt":
            struct.pack_into("<QQQ", data, s["header"] + 16, s["addr"] + moved,
                             s["offset"] + moved, s["size"] - moved)
    return len(bound), len(kept)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    parser.add_argument("--dry-run", action="store_true", help="change nothing, say what would")
    parser.add_argument("--verify", action="store_true",
                        help="check the PROGRAMs instead of rewriting LIBNODE")
    parser.add_argument("libnode")
    parser.add_argument("programs", nargs="*")
    args = parser.parse_args()
    name = os.path.basename(sys.argv[0])
    try:
        with open(args.libnode, "rb") as f:
            elf = Elf(bytearray(f.read()), args.libnode)
        if args.verify:
            ours = elf.strong_functions()
            clashes = 0
            for program in args.programs:
                with open(program, "rb") as f:
                    image = f.read()
                try:
                    theirs = Elf(image, program).strong_functions()
                except ElfError:
                    if b"\x7fELF" == image[:4] and not any(
                            s["type"] == PT_DYNAMIC for s in Elf.segments_of(image)):
                        continue  # linked statically: the loader never sees its symbols
                    raise
                for symbol in sorted(ours & theirs):
                    print(f"{name}: {program} defines {symbol}, as libnode does: libnode's "
                          f"own calls to it would bind to the program's", file=sys.stderr)
                    clashes += 1
            print(f"{name}: {len(args.programs)} programs checked, {clashes} clashes")
            return 1 if clashes else 0
        if elf.e_type != 3:
            raise ElfError(f"{args.libnode} is not a shared object")
        bound, kept = bind_calls(elf)
        if bound == 0:
            print(f"{name}: {args.libnode}: nothing to bind ({kept} PLT relocations name "
                  "functions of other objects or weak ones); already done")
            return 0
        print(f"{name}: {args.libnode}: {bound} calls to libnode's own functions bound "
              f"(relative relocations now), {kept} PLT relocations left for the loader"
              + (" [dry run: nothing written]" if args.dry_run else ""))
        if args.dry_run:
            return 0
        folder = os.path.dirname(os.path.abspath(args.libnode))
        mode = os.stat(args.libnode).st_mode & 0o7777
        fd, staged = tempfile.mkstemp(prefix=".libnode-", dir=folder)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(elf.data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(staged, mode)
            # A new file, renamed over the old one: running processes keep the old mapping,
            # and other hard links to the old file keep its bytes.
            os.rename(staged, args.libnode)
        except BaseException:
            os.unlink(staged)
            raise
        return 0
    except (ElfError, OSError, ValueError, struct.error) as e:
        print(f"{name}: error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
