// How counts and byte sizes are spelled everywhere, for backends' summaries and device lines.
#pragma once

#include <cstdint>
#include <string>

namespace sqb {

// 3072 -> "3Ki", 251658240 -> "240Mi", 1000003 -> "1000003": the shortest exact spelling.
std::string FormatCount(std::uint64_t n);

// 49152 -> "48 KiB", 2097152 -> "2 MiB", 1.5 GiB -> "1.50 GiB".
std::string FormatBytes(std::uint64_t bytes);

}  // namespace sqb
