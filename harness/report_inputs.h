// Reports named on a command line: files read as they are, folders searched for every *.json.
#pragma once

#include <string>
#include <vector>

#include "harness/record.h"

namespace sqb {

// A report as read, with the path it was read from.
struct SavedReport {
  std::string path;
  Report report;
};

// Every *.json under `dir`, recursively, sorted. Throws UsageError when the folder cannot be read.
std::vector<std::string> JsonFilesUnder(const std::string& dir);

bool IsFolder(const std::string& path);

// The report at `path`. Throws UsageError (one line naming the file) when it cannot be read.
SavedReport ReadSavedReport(const std::string& path);

}  // namespace sqb
