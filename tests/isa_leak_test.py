#!/usr/bin/env python3
"""No ISA leaks: disassembles a binary and finds no AVX-512 instruction outside the functions
compiled for AVX-512 (named by their per-ISA namespace or clone), and some inside them.

A per-ISA translation unit (-mavx512f) can hand the linker an inline function that other code
then calls: invisible on an AVX-512 machine, a crash on an older one. Usage:
  isa_leak_test.py OBJDUMP BINARY NAME...
where each NAME (as "ompsimd_avx3") must name functions that hold AVX-512 code, or the test would
prove nothing.
"""
import re
import subprocess
import sys

# Functions that may use AVX-512: our per-ISA namespaces (ompsimd_avx3, clones_avx3, ...),
# Highway's (N_AVX3, N_AVX3_ZEN4, ...), GCC's x86-64-v4 clones, xsimd's avx512* architectures.
ALLOWED = re.compile(r"avx3|avx512|x86_64_v4", re.IGNORECASE)

FUNCTION = re.compile(r"^[0-9a-f]+ <(.+)>:$")
INSTRUCTION = re.compile(r"^\s*[0-9a-f]+:\t((?:[0-9a-f]{2} )+)\s*\t(\S+)\s*(.*)$")
LEGACY_PREFIXES = {"26", "2e", "36", "3e", "64", "65", "67"}
# Opmask instructions are VEX-encoded but AVX-512 (kmovw, kortestw, kandnq, ...).
OPMASK = re.compile(r"^k(mov|and|andn|or|xor|xnor|not|ortest|test|shiftl|shiftr|unpck|add)[bwdq]")


def is_avx512(byte_text, mnemonic):
    """EVEX (an 0x62 lead byte, invalid otherwise in 64-bit mode) or an opmask instruction."""
    for byte in byte_text.split():
        if byte not in LEGACY_PREFIXES:
            return byte == "62" or bool(OPMASK.match(mnemonic))
    return False


def main():
    objdump, binary, expected = sys.argv[1], sys.argv[2], sys.argv[3:]
    text = subprocess.run([objdump, "-d", "-w", "-C", binary], check=True, capture_output=True,
                          text=True).stdout
    function = "?"
    leaks = {}
    inside = {name: 0 for name in expected}
    for line in text.splitlines():
        m = FUNCTION.match(line)
        if m:
            function = m.group(1)
            continue
        m = INSTRUCTION.match(line)
        if not m or not is_avx512(m.group(1), m.group(2)):
            continue
        if ALLOWED.search(function):
            for name in expected:
                inside[name] += name in function
        else:
            leaks.setdefault(function, f"{m.group(2)} {m.group(3)}")
    for function, example in sorted(leaks.items()):
        print(f"leak: {function}: {example}")
    missing = [name for name, count in inside.items() if count == 0]
    for name in missing:
        print(f"no AVX-512 code found in functions named *{name}*: the check has nothing to check")
    print(f"{sum(inside.values())} AVX-512 instructions in AVX-512 functions "
          f"({', '.join(f'{k} {v}' for k, v in inside.items())}); {len(leaks)} functions leak")
    return 1 if leaks or missing else 0


if __name__ == "__main__":
    sys.exit(main())
