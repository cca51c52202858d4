// Mutants of a JSON report: byte flips, cuts, extreme numbers, type swaps and hostile shapes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sqb::testing {

inline constexpr char kAccepted[] = "(accepted)";

struct Mutant {
  std::string family;       // e.g. "type swaps"
  std::string description;  // what was changed, e.g. "/cells/0/elements -> null"
  std::string text;
  std::string expect;  // "": any outcome; kAccepted; or words the refusal must contain
};

// A small report with every kind of field the reader uses, derived from a real one (as
// tests/data/small_report.json): an OK square cell with kernel-only timing, events, knobs and a
// ceiling set; a SKIPPED cell with no size; a copy cell; a 2-thread cell; an f64 cell with an
// offset and no binding; a FAILED cell with a two-line message; an ERROR cell with no samples.
// Environment variables, notes and an analysis are set. Pretty-printed as the writer does.
std::string DeriveFuzzSeed(const std::string& report_text);

// Each family is deterministic: the same seed text (and rng_seed where it takes one) gives the
// same mutants. Fields are those of the document outside arrays, the first two elements of every
// array and the first two entries of every string map (knobs, settings, fingerprint fields, ...).

// `count` random byte edits: a bit flipped, a byte replaced, deleted or inserted.
std::vector<Mutant> ByteFlips(const std::string& text, std::uint64_t rng_seed, std::size_t count);
// The text cut just after each of { } [ ] , : and ", and just before one that ends a value.
std::vector<Mutant> Truncations(const std::string& text);
// Every numeric field set to each of 1e400, -1e400, 1e-400, 2^64, -1, 0, 1e308, 5e-324, ...
std::vector<Mutant> NumberExtremes(const std::string& text);
// Every field set to null, true, a number, a negative, a fraction, strings, arrays and objects,
// and removed.
std::vector<Mutant> TypeSwaps(const std::string& text);
// Deep nesting, long strings, keys and arrays, invalid UTF-8 and escapes, duplicate keys, other
// documents (not an object, trailing text, NaN literals, a byte-order mark).
std::vector<Mutant> HostileShapes(const std::string& text);

}  // namespace sqb::testing
