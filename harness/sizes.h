// Sizes: element counts with binary/decimal suffixes, and the memory level a working set lives in.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "squarebench/caches.h"
#include "squarebench/cell_params.h"
#include "squarebench/dtype.h"
#include "squarebench/format.h"

namespace sqb {

// What ParseWholeNumber accepts, and how its errors name the value.
struct WholeNumberRule {
  std::string_view what;  // errors read "invalid <what> '<text>': <reason>"
  std::uint64_t min = 0;
  std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  bool suffixes = false;  // Ki, Mi, Gi (x 1024^k), K, M, G (x 1000^k) after the digits
  // The reason given for a value outside [min, max]; "" for "must be at least <min>" and "must be
  // at most <max>".
  std::string_view below_min = "";
  std::string_view above_max = "";
};

// The whole of `text` as a number in [rule.min, rule.max]: decimal digits (no sign, space or
// fraction), then a suffix when the rule allows one. Returns nullopt and sets *error to one line
// naming the text and what is wrong with it. Every integer option is read by this.
std::optional<std::uint64_t> ParseWholeNumber(std::string_view text, const WholeNumberRule& rule,
                                              std::string* error);

// "4096", "4Ki", "1Mi", "2Gi" (x 1024^k), "4K", "1M", "2G" (x 1000^k); whole numbers only.
// Returns nullopt and sets *error to a one-line reason for 0, negatives, non-numbers, bad suffixes
// and counts past kMaxElements.
std::optional<std::uint64_t> ParseCount(std::string_view text, std::string* error);

// The default sizes: working set (x + y) = 1/2 L1d, 1/2 L2, 1/2 L3, and >= 4x the last-level cache
// ("DRAM"). Returns nullopt for a level the machine lacks (or an unknown name).
std::optional<std::uint64_t> ElementsForLevel(std::string_view level, const CacheSizes& c, DType t);

// Where a working set of `bytes` lives: "L1", "L2", "L3", "DRAM" (>= 4x the last-level cache) or,
// between the last level and 4x it, that level's name plus "+" (e.g. "L3+").
std::string ClassifyLevel(std::uint64_t bytes, const CacheSizes& c);

// Counts from `from` to `to` spaced evenly in log size, `per_octave` per doubling, rounded to whole
// elements, ascending and without repeats; `to` is always the last. Needs 1 <= from <= to.
std::vector<std::uint64_t> LogSpacedCounts(std::uint64_t from, std::uint64_t to, int per_octave);

inline constexpr std::string_view kLevelNames[] = {"L1", "L2", "L3", "DRAM"};

}  // namespace sqb
