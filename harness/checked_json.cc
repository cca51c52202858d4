// Parsing JSON within limits, and reading it with checks that name the JSON path they refuse.
#include "harness/checked_json.h"

#include <fmt/format.h>

#include <cmath>
#include <set>

namespace sqb {
namespace {

using Json = nlohmann::json;

// A value as short one-line text for "(got ...)".
std::string Abbreviate(const Json& j) {
  switch (j.type()) {
    case Json::value_t::string:
      return Quote(j.get_ref<const std::string&>());
    case Json::value_t::array:
      return "an array";
    case Json::value_t::object:
      return "an object";
    case Json::value_t::discarded:
      return "nothing";
    default:  // null, boolean, number: short, ASCII, no line break
      return j.dump();
  }
}

bool IsIdentifier(std::string_view key) {
  if (key.empty() || key.size() > 48) return false;
  for (std::size_t i = 0; i < key.size(); ++i) {
    const char c = key[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

// A path of deeply nested values, shortened to stay readable in a one-line message.
std::string ShortPath(const std::string& path) {
  constexpr std::size_t kHead = 60, kTail = 80;
  if (path.size() <= kHead + kTail + 3) return path;
  return path.substr(0, kHead) + "..." + path.substr(path.size() - kTail);
}

// Follows the parser's events to know the path of the value being read, and enforces the limits.
// The JSON library calls it after each key and value, and at each container's start and end.
class LimitTracker {
 public:
  explicit LimitTracker(const JsonLimits& limits) : limits_(limits) {}

  bool operator()(int /*depth*/, Json::parse_event_t event, Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start:
      case Json::parse_event_t::array_start:
        CountValue();
        if (frames_.size() >= limits_.max_depth)
          Fail(frames_.size(), fmt::format("nested deeper than {} levels", limits_.max_depth));
        frames_.push_back({event == Json::parse_event_t::array_start});
        break;
      case Json::parse_event_t::key: {
        Frame& top = frames_.back();
        const auto& key = parsed.get_ref<const std::string&>();
        if (key.size() > limits_.max_string_bytes)
          Fail(frames_.size() - 1,
               fmt::format("a key of {} bytes (at most {})", key.size(), limits_.max_string_bytes));
        if (!top.keys.insert(key).second) Fail(frames_.size() - 1, "duplicate key " + Quote(key));
        top.key = key;
        break;
      }
      case Json::parse_event_t::object_end:
      case Json::parse_event_t::array_end:
        frames_.pop_back();
        Advance();
        break;
      case Json::parse_event_t::value:
        CountValue();
        if (parsed.is_string() &&
            parsed.get_ref<const std::string&>().size() > limits_.max_string_bytes)
          Fail(frames_.size(),
               fmt::format("a string of {} bytes (at most {})",
                           parsed.get_ref<const std::string&>().size(), limits_.max_string_bytes));
        Advance();
        break;
    }
    return true;
  }

  // The path of the value being read: frames_[0, levels) each add their current slot.
  std::string Path(std::size_t levels) const {
    std::string path;
    for (std::size_t i = 0; i < levels && i < frames_.size(); ++i)
      path = frames_[i].is_array ? JsonPathAppend(path, frames_[i].index)
                                 : JsonPathAppend(path, frames_[i].key);
    return path;
  }
  std::string Path() const { return Path(frames_.size()); }

  // Whether a whole document has been read (and what follows it is extra).
  bool Done() const { return frames_.empty() && values_ > 0; }

 private:
  struct Frame {
    bool is_array;
    std::size_t index = 0;  // arrays: of the element being read
    std::string key;        // objects: of the member being read
    std::set<std::string> keys;
  };

  [[noreturn]] void Fail(std::size_t levels, std::string_view problem) const {
    const std::string path = ShortPath(Path(levels));
    throw JsonCheckError(path.empty() ? std::string(problem)
                                      : fmt::format("{}: {}", path, problem));
  }

  void CountValue() {
    if (++values_ > limits_.max_values)
      Fail(frames_.size(), fmt::format("more than {} values in the document", limits_.max_values));
  }

  void Advance() {
    if (!frames_.empty() && frames_.back().is_array) ++frames_.back().index;
  }

  JsonLimits limits_;
  std::vector<Frame> frames_;
  std::size_t values_ = 0;
};

}  // namespace

std::string Quote(std::string_view text, std::size_t max_bytes) {
  const bool cut = text.size() > max_bytes;
  // A cut through a UTF-8 sequence (or any invalid UTF-8) is written as U+FFFD, never raw.
  std::string quoted = Json(std::string(text.substr(0, max_bytes)))
                           .dump(-1, ' ', true, Json::error_handler_t::replace);
  if (cut) quoted += "...";
  return quoted;
}

std::string OneLine(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      out += fmt::format("\\x{:02x}", u);
    } else {
      out += c;
    }
  }
  return out;
}

std::string JsonPathAppend(const std::string& path, std::string_view key) {
  if (!IsIdentifier(key)) return path + "[" + Quote(key) + "]";
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string JsonPathAppend(const std::string& path, std::size_t index) {
  return fmt::format("{}[{}]", path, index);
}

Json ParseJson(std::string_view text, const JsonLimits& limits) {
  LimitTracker tracker(limits);
  const auto in = [&] {
    const std::string path = ShortPath(tracker.Path());
    return path.empty() ? std::string() : ", in " + path;
  };
  try {
    return Json::parse(text.begin(), text.end(),
                       [&tracker](int depth, Json::parse_event_t event, Json& parsed) {
                         return tracker(depth, event, parsed);
                       });
  } catch (const Json::parse_error& e) {
    if (tracker.Done()) throw JsonCheckError("not valid JSON: more text after the document");
    if (e.byte >= text.size())
      throw JsonCheckError(fmt::format("not valid JSON: it ends early{} (truncated?)", in()));
    throw JsonCheckError(fmt::format("not valid JSON at byte {}{}", e.byte, in()));
  } catch (const Json::out_of_range&) {
    // The only one the parser throws: a number beyond the range of a double, e.g. 1e400.
    const std::string path = ShortPath(tracker.Path());
    throw JsonCheckError(fmt::format("{}{}not valid JSON: a number out of the range of a double",
                                     path, path.empty() ? "" : ": "));
  } catch (const Json::exception&) {
    throw JsonCheckError(fmt::format("not valid JSON{}", in()));
  }
}

void CheckedJson::Fail(std::string_view problem) const {
  throw JsonCheckError(path_.empty() ? std::string(problem)
                                     : fmt::format("{}: {}", ShortPath(path_), problem));
}

void CheckedJson::Require(bool ok, std::string_view what) const {
  if (!ok) Fail(fmt::format("must be {} (got {})", what, Abbreviate(*value_)));
}

CheckedJson CheckedJson::Field(std::string_view key) const {
  Require(value_->is_object(), "an object");
  const auto it = value_->find(key);
  if (it == value_->end()) Fail(fmt::format("missing field '{}'", key));
  return CheckedJson(*it, JsonPathAppend(path_, key));
}

std::optional<CheckedJson> CheckedJson::OptionalField(std::string_view key) const {
  Require(value_->is_object(), "an object");
  const auto it = value_->find(key);
  if (it == value_->end()) return std::nullopt;
  return CheckedJson(*it, JsonPathAppend(path_, key));
}

std::vector<CheckedJson> CheckedJson::Elements(std::size_t max_size) const {
  Require(value_->is_array(), "an array");
  if (value_->size() > max_size)
    Fail(fmt::format("must hold at most {} elements (got {})", max_size, value_->size()));
  std::vector<CheckedJson> elements;
  elements.reserve(value_->size());
  for (std::size_t i = 0; i < value_->size(); ++i)
    elements.emplace_back((*value_)[i], JsonPathAppend(path_, i));
  return elements;
}

std::string CheckedJson::String() const {
  Require(value_->is_string(), "a string");
  return value_->get<std::string>();
}

bool CheckedJson::Bool() const {
  Require(value_->is_boolean(), "true or false");
  return value_->get<bool>();
}

std::uint64_t CheckedJson::Integer(std::uint64_t min, std::uint64_t max) const {
  const std::string what = fmt::format("an integer in [{}, {}]", min, max);
  Require(value_->is_number_unsigned() ||
              (value_->is_number_integer() && value_->get<std::int64_t>() >= 0),
          what);
  const auto v = value_->get<std::uint64_t>();
  Require(v >= min && v <= max, what);
  return v;
}

double CheckedJson::Positive() const {
  Require(value_->is_number(), "a number");
  const auto v = value_->get<double>();
  Require(std::isfinite(v) && v > 0, "finite and > 0");
  return v;
}

double CheckedJson::NonNegative() const {
  Require(value_->is_number(), "a number");
  const auto v = value_->get<double>();
  Require(std::isfinite(v) && v >= 0, "finite and >= 0");
  return v;
}

std::size_t CheckedJson::OneOf(std::initializer_list<std::string_view> names) const {
  if (value_->is_string()) {
    std::size_t i = 0;
    for (std::string_view name : names) {
      if (value_->get_ref<const std::string&>() == name) return i;
      ++i;
    }
  }
  std::string valid;
  for (std::string_view name : names) valid += (valid.empty() ? "" : ", ") + Quote(name);
  Fail(fmt::format("must be one of {} (got {})", valid, Abbreviate(*value_)));
}

std::vector<std::string> CheckedJson::Strings() const {
  std::vector<std::string> strings;
  for (const CheckedJson& e : Elements()) strings.push_back(e.String());
  return strings;
}

std::vector<std::pair<std::string, std::string>> CheckedJson::StringMap() const {
  Require(value_->is_object(), "an object");
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& [key, value] : value_->items())
    pairs.emplace_back(key, CheckedJson(value, JsonPathAppend(path_, key)).String());
  return pairs;
}

}  // namespace sqb
