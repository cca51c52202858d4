// What MPI ranks send each other, as text: rank 0's plan, each rank's row of a cell, each rank's
// fingerprint fields. Every rank runs the same binary: the texts need no versioning.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "harness/plan.h"
#include "harness/record.h"

namespace sqb {

// The size groups and their cells; the skipped cells and notes stay with rank 0, which reports.
std::string PlanToText(const Plan& plan);
// Throws std::runtime_error when a backend the text names is not registered in this binary.
Plan PlanFromText(const std::string& text);

std::string RankRowToText(const RankRecord& row);
RankRecord RankRowFromText(const std::string& text);

std::string FieldsToText(const std::vector<std::pair<std::string, std::string>>& fields);
std::vector<std::pair<std::string, std::string>> FieldsFromText(const std::string& text);

}  // namespace sqb
