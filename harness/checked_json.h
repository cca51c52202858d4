// Parsing JSON within limits, and reading it with checks that name the JSON path they refuse.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sqb {

// A document or value that fails a check. what() is one line, "<json path>: <problem>" (only the
// problem when it concerns the whole document); text from the document appears only via Quote().
struct JsonCheckError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// `text` as a JSON string literal in ASCII (escaped: never a raw control character or line
// break), cut after `max_bytes` bytes of the text with "..." after the closing quote.
std::string Quote(std::string_view text, std::size_t max_bytes = 48);

// `text` with every control character and DEL written as \n, \t or \xNN: one printable line.
std::string OneLine(std::string_view text);

// "a" + "b" -> "a.b"; a key that is not a plain identifier as a["x.y"].
std::string JsonPathAppend(const std::string& path, std::string_view key);
std::string JsonPathAppend(const std::string& path, std::size_t index);

struct JsonLimits {
  std::size_t max_depth = 32;                           // containers nested in one another
  std::size_t max_values = std::size_t{1} << 22;        // values of any kind, containers included
  std::size_t max_string_bytes = std::size_t{1} << 20;  // any string or key
};

// Parses `text` as one JSON document within `limits`, refusing an object that repeats a key.
// Throws JsonCheckError, never an exception of the JSON library: "not valid JSON at byte N ...",
// "<path>: number out of the range of a double", "<path>: duplicate key ...", a limit exceeded.
nlohmann::json ParseJson(std::string_view text, const JsonLimits& limits);

// One value of a parsed document and its path (e.g. "cells[3].wall.samples_s[2]"). Every read
// checks type and range, and throws JsonCheckError naming the path and quoting what it found.
class CheckedJson {
 public:
  explicit CheckedJson(const nlohmann::json& value, std::string path = "")
      : value_(&value), path_(std::move(path)) {}

  const nlohmann::json& value() const { return *value_; }
  const std::string& path() const { return path_; }

  [[noreturn]] void Fail(std::string_view problem) const;

  // A member of this object: Field requires it, OptionalField reads an absent one as nullopt.
  CheckedJson Field(std::string_view key) const;
  std::optional<CheckedJson> OptionalField(std::string_view key) const;

  // The elements of this array, at most max_size of them.
  std::vector<CheckedJson> Elements(
      std::size_t max_size = std::numeric_limits<std::size_t>::max()) const;

  std::string String() const;
  bool Bool() const;
  // A JSON integer (not 1.0 or 1e3) in [min, max].
  std::uint64_t Integer(std::uint64_t min, std::uint64_t max) const;
  // A number, finite and > 0 / finite and >= 0.
  double Positive() const;
  double NonNegative() const;
  // A string that is one of `names`: returns its index.
  std::size_t OneOf(std::initializer_list<std::string_view> names) const;
  // An array of strings; an object whose values are all strings, as (key, value) in key order.
  std::vector<std::string> Strings() const;
  std::vector<std::pair<std::string, std::string>> StringMap() const;

 private:
  void Require(bool ok, std::string_view what) const;  // fails "must be <what> (got ...)"

  const nlohmann::json* value_;
  std::string path_;
};

}  // namespace sqb
