// Reports named on a command line: files read as they are, folders searched for every *.json.
#include "harness/report_inputs.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "harness/plan.h"
#include "harness/report_reader.h"

namespace sqb {

namespace fs = std::filesystem;

std::vector<std::string> JsonFilesUnder(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".json" && it->is_regular_file(ec))
      files.push_back(it->path().string());
  }
  if (ec) throw UsageError(fmt::format("{}: cannot read the folder: {}", dir, ec.message()));
  std::sort(files.begin(), files.end());
  return files;
}

bool IsFolder(const std::string& path) {
  std::error_code ec;
  return fs::is_directory(path, ec);
}

SavedReport ReadSavedReport(const std::string& path) {
  try {
    return {path, ReadReport(path)};
  } catch (const ReportError& e) {
    throw UsageError(e.what());
  }
}

}  // namespace sqb
