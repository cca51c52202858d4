// Reading a saved JSON report back (for `squarebench compare`), refusing anything malformed.
#include "harness/report_reader.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace sqb {
namespace {

using Json = nlohmann::json;

// Field access that turns any missing or mistyped field into one clear message.
template <typename T>
T Get(const Json& j, const char* key, const std::string& where) {
  const auto it = j.find(key);
  if (it == j.end()) throw ReportError(fmt::format("{}: missing field '{}'", where, key));
  try {
    return it->get<T>();
  } catch (const Json::exception&) {
    throw ReportError(fmt::format("{}: field '{}' has the wrong type", where, key));
  }
}

std::vector<std::pair<std::string, std::string>> Pairs(const Json& j, const char* key,
                                                       const std::string& where) {
  std::vector<std::pair<std::string, std::string>> pairs;
  const Json object = Get<Json>(j, key, where);  // named: a temporary would die before the loop
  if (!object.is_object()) throw ReportError(fmt::format("{}: '{}' is not an object", where, key));
  for (const auto& [k, v] : object.items())
    pairs.emplace_back(k, v.is_string() ? v.get<std::string>() : v.dump());
  return pairs;
}

Timing ReadTiming(const Json& j, const std::string& where) {
  Timing t;
  t.samples = Get<std::vector<double>>(j, "samples_s", where);
  if (!t.samples.empty()) t.stats = Summarize(t.samples);
  return t;
}

template <typename E>
E ParseName(const std::string& text, std::initializer_list<E> values, const std::string& where,
            const char* field) {
  for (E v : values)
    if (Name(v) == text) return v;
  throw ReportError(fmt::format("{}: unknown {} '{}'", where, field, text));
}

CellRecord ReadCell(const Json& j, const std::string& where) {
  CellRecord c;
  CellParams& p = c.params;
  p.backend = Get<std::string>(j, "backend", where);
  p.executor = Get<std::string>(j, "executor", where);
  p.chunk_kernel = Get<std::string>(j, "chunk_kernel", where);
  p.variant = Get<std::string>(j, "variant", where);
  const auto dtype = ParseDType(Get<std::string>(j, "dtype", where));
  if (!dtype) throw ReportError(where + ": unknown dtype");
  p.dtype = *dtype;
  p.elements = Get<std::uint64_t>(j, "elements", where);
  p.offset = Get<std::uint64_t>(j, "offset", where);
  p.threads = Get<int>(j, "threads", where);
  p.binding = ParseName(Get<std::string>(j, "binding", where), {Binding::kNone, Binding::kCores},
                        where, "binding");
  p.knobs = Get<std::map<std::string, std::string>>(j, "knobs", where);
  c.level = Get<std::string>(j, "level", where);
  c.ceiling_set = j.value("ceiling_set", "");
  c.operation =
      Get<std::string>(j, "operation", where) == "copy" ? Operation::kCopy : Operation::kSquare;
  c.status =
      ParseName(Get<std::string>(j, "status", where),
                {CellStatus::kOk, CellStatus::kFailed, CellStatus::kError, CellStatus::kSkipped},
                where, "status");
  c.message = Get<std::string>(j, "message", where);
  c.placement = j.value("placement", "");
  c.summary = j.value("summary", "");
  c.calls_per_sample = Get<std::uint64_t>(j, "calls_per_sample", where);
  c.wall = ReadTiming(Get<Json>(j, "wall", where), where + " wall");
  if (j.contains("kernel_only"))
    c.kernel_only = ReadTiming(j["kernel_only"], where + " kernel_only");
  for (const Json& e : j.value("events", Json::array())) {
    c.events.push_back({Get<std::string>(e, "name", where + " event"),
                        Get<double>(e, "per_call", where + " event"),
                        Get<double>(e, "cost_s", where + " event")});
  }
  c.flags = Get<std::vector<std::string>>(j, "flags", where);
  return c;
}

}  // namespace

Report ReadReport(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ReportError(fmt::format("{}: cannot open (no such file or not readable)", path));
  std::stringstream text;
  text << in.rdbuf();
  if (text.str().find_first_not_of(" \t\r\n") == std::string::npos)
    throw ReportError(fmt::format("{}: empty file", path));
  Json j;
  try {
    j = Json::parse(text.str());
  } catch (const Json::parse_error& e) {
    throw ReportError(fmt::format("{}: not valid JSON (truncated?) at byte {}", path, e.byte));
  }
  if (!j.is_object() || j.value("tool", "") != "squarebench" || !j.contains("schema_version"))
    throw ReportError(fmt::format("{}: not a squarebench report", path));
  Report r;
  r.schema_version = Get<int>(j, "schema_version", path);
  if (r.schema_version > kSchemaVersion)
    throw ReportError(fmt::format("{}: schema_version {} is newer than this squarebench reads ({})",
                                  path, r.schema_version, kSchemaVersion));
  r.tool_version = Get<std::string>(j, "tool_version", path);
  r.complete = Get<bool>(j, "complete", path);
  r.started_utc = Get<std::string>(j, "started_utc", path);
  r.wall_seconds = Get<double>(j, "wall_seconds", path);
  r.command_line = Get<std::vector<std::string>>(j, "command_line", path);
  r.environment = Pairs(j, "environment", path);
  r.settings = Pairs(j, "settings", path);
  const Json fingerprint = Get<Json>(j, "fingerprint", path);
  r.fingerprint.fields = Pairs(fingerprint, "fields", path + " fingerprint");
  r.fingerprint.warnings = Get<std::vector<std::string>>(fingerprint, "warnings", path);
  r.notes = Get<std::vector<std::string>>(j, "notes", path);
  const Json cells = Get<Json>(j, "cells", path);
  if (!cells.is_array()) throw ReportError(fmt::format("{}: 'cells' is not an array", path));
  for (std::size_t i = 0; i < cells.size(); ++i)
    r.cells.push_back(ReadCell(cells[i], fmt::format("{}: cell {}", path, i)));
  return r;
}

}  // namespace sqb
