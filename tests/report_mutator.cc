// Mutants of a JSON report: byte flips, cuts, extreme numbers, type swaps and hostile shapes.
#include "tests/report_mutator.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string_view>

#include "harness/report_reader.h"

namespace sqb::testing {
namespace {

using Json = nlohmann::ordered_json;
using Pointer = Json::json_pointer;

constexpr std::string_view kPlaceholder = "@@SQB_FUZZ@@";

class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    return z ^ (z >> 31);
  }
  std::size_t Below(std::size_t n) { return static_cast<std::size_t>(Next() % n); }

 private:
  std::uint64_t state_;
};

std::string Dump(const Json& j) { return j.dump(2) + "\n"; }

// Pointers to the values the document-level families mutate (see the header).
void CollectFields(const Json& j, const Pointer& at, std::vector<Pointer>* out) {
  static const std::set<std::string> kMaps = {"environment", "settings", "fields", "knobs"};
  if (!at.empty()) out->push_back(at);
  if (j.is_array()) {
    for (std::size_t i = 0; i < j.size() && i < 2; ++i) CollectFields(j[i], at / i, out);
  } else if (j.is_object()) {
    const bool map = !at.empty() && kMaps.count(at.back()) > 0;
    std::size_t n = 0;
    for (const auto& [key, value] : j.items()) {
      if (map && n++ >= 2) break;
      CollectFields(value, at / key, out);
    }
  }
}

std::vector<Pointer> Fields(const Json& doc) {
  std::vector<Pointer> fields;
  CollectFields(doc, Pointer(), &fields);
  return fields;
}

// The document with the value at `at` written as `raw` JSON text (which may be invalid JSON).
std::string WithRaw(Json doc, const Pointer& at, std::string_view raw) {
  doc[at] = std::string(kPlaceholder);
  std::string text = Dump(doc);
  const std::string quoted = "\"" + std::string(kPlaceholder) + "\"";
  text.replace(text.find(quoted), quoted.size(), raw);
  return text;
}

// The space-separated words of `text`.
std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

std::string Repeat(std::string_view s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

std::string JsonArrayOf(std::string_view element, std::size_t n) {
  std::string out = "[";
  for (std::size_t i = 0; i < n; ++i) (out += i ? "," : "") += element;
  return out + "]";
}

Json MakeCell(const Json& base, const Json& changes) {
  Json cell = base;
  for (const auto& [key, value] : changes.items()) cell[key] = value;
  return cell;
}

// Lines "<indent>"key": ..." of the text, each (indent, key) once: the first of each field.
std::vector<std::pair<std::size_t, std::string>> FirstMemberLines(const std::string& text) {
  std::vector<std::pair<std::size_t, std::string>> lines;  // (offset of the line, the line)
  std::set<std::string> seen;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::string line = text.substr(start, end - start);
    const std::size_t colon = line.find("\": ");
    if (line.find_first_not_of(' ') != std::string::npos &&
        line[line.find_first_not_of(' ')] == '"' && colon != std::string::npos &&
        seen.insert(line.substr(0, colon)).second)
      lines.emplace_back(start, line);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return lines;
}

}  // namespace

std::string DeriveFuzzSeed(const std::string& report_text) {
  Json j = Json::parse(report_text);
  j["environment"] = {{"OMP_PLACES", "cores"}, {"OMP_PROC_BIND", "close"}};
  j["notes"] = {"1Mi: measured alone", "second note"};
  j["analysis"] = {{"fits", Json::array()}, {"crossovers", Json::array()}};
  const Json* square = nullptr;
  const Json* copy = nullptr;
  const Json* parallel = nullptr;
  for (const Json& c : j["cells"]) {
    const bool is_square = c.at("operation") == "square";
    if (!square && is_square && c.at("threads") == 1) square = &c;
    if (!copy && !is_square) copy = &c;
    if (!parallel && is_square && c.at("threads") == 2) parallel = &c;
  }
  if (!square || !copy || !parallel) throw std::runtime_error("the report lacks a kind of cell");
  Json kernel = (*square)["wall"];
  for (auto& s : kernel["samples_s"]) s = s.get<double>() * 0.9;
  const Json rich = MakeCell(
      *square,
      {{"ceiling_set", "serial x1 cores"},
       {"efficiency", nullptr},
       {"kernel_only", kernel},
       {"events", Json::array({{{"name", "switches"}, {"per_call", 32}, {"cost_s", 0}},
                               {{"name", "resumes"}, {"per_call", 48}, {"cost_s", 4.18e-9}}})}});
  const Json no_samples = {{"samples_s", Json::array()}};
  const Json skipped = MakeCell(*square, {{"backend", "cuda"},
                                          {"executor", "cuda"},
                                          {"elements", 0},
                                          {"bytes_per_array", 0},
                                          {"working_set_bytes", 0},
                                          {"level", ""},
                                          {"knobs", Json::object()},
                                          {"status", "SKIPPED"},
                                          {"message", "no CUDA device"},
                                          {"placement", ""},
                                          {"calls_per_sample", 0},
                                          {"wall", no_samples}});
  const Json f64 = MakeCell(*square, {{"backend", "openmp"},
                                      {"executor", "openmp"},
                                      {"dtype", "f64"},
                                      {"bytes_per_array", 8192},
                                      {"working_set_bytes", 16384},
                                      {"offset", 16},
                                      {"threads", 2},
                                      {"binding", "none"}});
  const Json failed =
      MakeCell(*parallel, {{"status", "FAILED"},
                           {"message", "y[5] = 0x00000000 expected 0x41c80000 (x = 5)\nand more"}});
  const Json error = MakeCell(*square, {{"backend", "tbb"},
                                        {"executor", "tbb"},
                                        {"status", "ERROR"},
                                        {"message", "setup failed"},
                                        {"calls_per_sample", 0},
                                        {"wall", no_samples}});
  j["cells"] = Json::array({rich, skipped, *copy, *parallel, f64, failed, error});
  return Dump(j);
}

std::vector<Mutant> ByteFlips(const std::string& text, std::uint64_t rng_seed, std::size_t count) {
  static constexpr std::string_view kChars("{}[],:\"\\0123456789.-+eE \n\x00\x7f\xff\xc3", 29);
  SplitMix64 rng(rng_seed);
  std::vector<Mutant> mutants;
  for (std::size_t i = 0; i < count; ++i) {
    std::string t = text;
    const std::size_t at = rng.Below(t.size());
    const auto was = static_cast<unsigned char>(t[at]);
    std::string what;
    switch (rng.Below(5)) {
      case 0:
        t[at] = static_cast<char>(was ^ (1u << rng.Below(8)));
        what = "bit flipped";
        break;
      case 1:
        t[at] = static_cast<char>(rng.Below(256));
        what = "replaced";
        break;
      case 2:
        t[at] = kChars[rng.Below(kChars.size())];
        what = "replaced by a JSON character";
        break;
      case 3:
        t.erase(at, 1);
        what = "deleted";
        break;
      default:
        t.insert(at, 1, kChars[rng.Below(kChars.size())]);
        what = "inserted before";
        break;
    }
    mutants.push_back({"byte flips", fmt::format("byte {} (0x{:02x}) {}", at, was, what), t});
  }
  return mutants;
}

std::vector<Mutant> Truncations(const std::string& text) {
  const auto structural = [](char c) {
    return std::string_view("{}[],:\"").find(c) != std::string_view::npos;
  };
  std::set<std::size_t> cuts;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!structural(text[i])) continue;
    cuts.insert(i + 1);
    // Just before: only where that ends a number or literal (elsewhere it is just after one too).
    if (i > 0 && !structural(text[i - 1]) && text[i - 1] != ' ' && text[i - 1] != '\n')
      cuts.insert(i);
  }
  std::vector<Mutant> mutants;
  for (std::size_t cut : cuts)
    mutants.push_back({"truncations", fmt::format("cut to {} bytes", cut), text.substr(0, cut)});
  return mutants;
}

std::vector<Mutant> NumberExtremes(const std::string& text) {
  // Among them 2^64, 2^64 - 1, -2^63 - 1, the largest double, the smallest subnormal, 2^60,
  // 2^48 + 1 (elements), 2^20 + 1 (threads, offset) and 2^31.
  const std::vector<std::string> numbers = Words(
      "1e400 -1e400 1e-400 18446744073709551616 18446744073709551615 -9223372036854775809 -1 0 "
      "-0.0 0.5 1e308 1.7976931348623157e308 5e-324 1e-300 1e300 1152921504606846976 "
      "281474976710657 1048577 2147483648 1e3");
  const Json doc = Json::parse(text);
  std::vector<Mutant> mutants;
  for (const Pointer& at : Fields(doc)) {
    if (!doc[at].is_number()) continue;
    for (const std::string& n : numbers)
      mutants.push_back({"number extremes", at.to_string() + " -> " + n, WithRaw(doc, at, n),
                         n.ends_with("e400") ? "out of the range of a double" : ""});
  }
  return mutants;
}

std::vector<Mutant> TypeSwaps(const std::string& text) {
  const std::vector<std::string> values =
      Words(R"(null true false 0 -1 2.5 1e300 "" "text" [] [1,"x"] {} {"k":"v"})");
  const Json doc = Json::parse(text);
  std::vector<Mutant> mutants;
  for (const Pointer& at : Fields(doc)) {
    for (const std::string& v : values)
      mutants.push_back({"type swaps", at.to_string() + " -> " + v, WithRaw(doc, at, v)});
    Json removed = doc;
    Json& parent = removed[at.parent_pointer()];
    if (parent.is_object()) {
      parent.erase(at.back());
    } else {
      parent.erase(std::stoul(at.back()));
    }
    mutants.push_back({"type swaps", at.to_string() + " removed", Dump(removed)});
  }
  return mutants;
}

std::vector<Mutant> HostileShapes(const std::string& text) {
  const Json doc = Json::parse(text);
  std::vector<Mutant> m;
  // `expect`: kAccepted, or what the refusal says.
  const auto add = [&m](std::string description, std::string t, std::string expect) {
    m.push_back({"hostile shapes", std::move(description), std::move(t), std::move(expect)});
  };
  const Pointer knobs("/cells/0/knobs"), counting("/counting"), backend("/cells/0/backend");
  const Pointer samples("/cells/0/wall/samples_s");
  const std::string too_deep = fmt::format("nested deeper than {} levels", kMaxReportDepth);
  // Nesting. The document is one level, so `counting` may nest kMaxReportDepth - 1 more.
  add("100k [", Repeat("[", 100000), too_deep);
  add("100k [ then ]", Repeat("[", 100000) + Repeat("]", 100000), too_deep);
  add("50k {\"a\":", Repeat("{\"a\":", 50000) + "1" + Repeat("}", 50000), too_deep);
  add("knobs: 100k [ ]", WithRaw(doc, knobs, Repeat("[", 100000) + Repeat("]", 100000)), too_deep);
  for (std::size_t depth : {kMaxReportDepth - 1, kMaxReportDepth})
    add(fmt::format("counting nested {} deep", depth),
        WithRaw(doc, counting, Repeat("[", depth) + Repeat("]", depth)),
        depth < kMaxReportDepth ? kAccepted : too_deep);
  // Long strings and keys.
  const auto long_string = [&](const Pointer& at, std::size_t bytes) {
    Json d = doc;
    d[at] = std::string(bytes, 'x');
    add(fmt::format("{}: a string of {} bytes", at.to_string(), bytes), Dump(d),
        bytes > kMaxReportStringBytes ? fmt::format("a string of {} bytes", bytes) : kAccepted);
  };
  long_string(backend, kMaxReportStringBytes + 1);
  long_string(Pointer("/cells/0/message"), 100000);
  long_string(Pointer("/cells/0/knobs/hugepages"), 100000);
  for (std::size_t bytes : {std::size_t{100000}, kMaxReportStringBytes + 1}) {
    Json d = doc;
    d["cells"][0]["knobs"][std::string(bytes, 'k')] = "v";
    add(fmt::format("a knob key of {} bytes", bytes), Dump(d),
        bytes > kMaxReportStringBytes ? fmt::format("a key of {} bytes", bytes) : kAccepted);
  }
  add("backend with every escape",
      WithRaw(doc, backend, R"("\u0000\u001f\"\\\n\t\u2028\ud83d\ude00")"), kAccepted);
  add("dtype with escapes", WithRaw(doc, Pointer("/cells/0/dtype"), R"("f\n32\u0000\u001b[31m")"),
      R"(cells[0].dtype: must be one of "f32", "f64" (got "f\n32\u0000\u001b[31m"))");
  // Long arrays.
  Json one_repetition = doc;  // of however many samples
  one_repetition["cells"][0].erase("repetitions");
  for (std::size_t n : {std::size_t{3000}, kMaxSamplesPerSeries + 1})
    add(fmt::format("{} samples", n), WithRaw(one_repetition, samples, JsonArrayOf("1e-6", n)),
        n > kMaxSamplesPerSeries
            ? fmt::format("must hold at most {} elements", kMaxSamplesPerSeries)
            : kAccepted);
  add("repetitions that do not add up", WithRaw(doc, Pointer("/cells/0/repetitions"), "[1, 1]"),
      "sums to 2, but wall.samples_s");
  add("a repetition of 0 samples", WithRaw(doc, Pointer("/cells/0/repetitions"), "[0]"),
      "must be an integer in [1, 10000]");
  {
    Json d = doc;
    for (int i = 0; i < 2000; ++i) d["cells"].push_back(doc["cells"][0]);
    add("2000 more copies of cells[0]", Dump(d), kAccepted);
  }
  add("100k command_line strings",
      WithRaw(doc, Pointer("/command_line"), JsonArrayOf("\"x\"", 100000)), kAccepted);
  add("counting: more values than allowed",
      WithRaw(doc, counting, JsonArrayOf("0", kMaxReportValues + 1)),
      fmt::format("more than {} values", kMaxReportValues));
  // Invalid UTF-8 and escapes, inside the backend's string and outside any string.
  const std::string name = "\"backend\": \"serial";
  const std::size_t in_string = text.find(name) + name.size();
  for (const char* bytes :
       {"\xff", "\xfe", "\x80", "\xc0\xaf", "\xc3\x28", "\xed\xa0\x80", "\xf4\x90\x80\x80",
        "\xe2\x82", "\x01", "\n", "\\ud800", "\\udc00", "\\ud800\\u0041", "\\u00", "\\x41"}) {
    std::string t = text;
    t.insert(in_string, bytes);
    add(fmt::format("in backend: {:?}", std::string_view(bytes)), t, "not valid JSON at byte");
  }
  for (const std::string& bytes :
       {std::string("\xff"), std::string("\xc3\xa9"), std::string(1, '\0')})
    add(fmt::format("before the text: {:?}", bytes), bytes + text, "not valid JSON at byte");
  // Duplicate keys: each field once, its line repeated (or, for a container, a null before it).
  for (const auto& [offset, line] : FirstMemberLines(text)) {
    std::string t = text;
    const char last = line.back();
    const std::size_t colon = line.find("\": ");
    if (last == '{' || last == '[') {
      t.insert(offset, line.substr(0, colon + 3) + "null,\n");
    } else {
      t.insert(offset, line + (last == ',' ? "\n" : ",\n"));
    }
    const std::size_t key = line.find('"');
    add("duplicate key: " + line.substr(key), t,
        "duplicate key " + line.substr(key, colon + 1 - key));
  }
  // Other documents.
  for (const char* other :
       {"[]", "\"squarebench\"", "1", "null", "{}", R"({"tool": "squarebench"})",
        R"({"tool": ["squarebench"], "schema_version": 1})"})
    add(fmt::format("the document {:?}", other), other, "not a squarebench report");
  add("whitespace", " \n\t ", "empty file");
  add("the bare minimum", R"({"tool": "squarebench", "schema_version": 1})",
      "missing field 'tool_version'");
  add("the bare minimum twice",
      R"({"tool": "squarebench", "schema_version": 1, "schema_version": 1})",
      "duplicate key \"schema_version\"");
  add("trailing text", text + "x", "more text after the document");
  add("two documents", text + text, "more text after the document");
  add("byte-order mark", "\xef\xbb\xbf" + text, kAccepted);
  add("NUL escaped in a string", WithRaw(doc, backend, R"("ser\u0000ial")"), kAccepted);
  add("a comment", "// report\n" + text, "not valid JSON at byte");
  add("NaN sample", WithRaw(doc, samples / 0, "NaN"), "not valid JSON at byte");
  add("Infinity sample", WithRaw(doc, samples / 0, "Infinity"), "not valid JSON at byte");
  add("single quotes", WithRaw(doc, backend, "'serial'"), "not valid JSON at byte");
  return m;
}

}  // namespace sqb::testing
