// The answer on one screen: per dtype, square backends x sizes, each cell median GB/s and eff %.
#include "harness/report_matrix.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "harness/cell_key.h"
#include "harness/efficiency.h"
#include "harness/report_layout.h"
#include "squarebench/executor.h"
#include "squarebench/format.h"

namespace sqb {
namespace {

std::vector<std::string> Words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// A row's key without backend and dtype: "threads=2 bind=cores stores=auto".
std::string Detail(const CellRecord& c) {
  const std::vector<std::string> words = Words(CellKey(c, KeySize::kNone));
  std::string out;
  for (std::size_t i = 2; i < words.size(); ++i) out += (out.empty() ? "" : " ") + words[i];
  return out;
}

// The backend, plus the words of its detail that its other rows do not share.
void LabelRows(std::vector<MatrixRow>& rows, const std::vector<std::string>& details) {
  std::vector<std::string> backends;
  for (const MatrixRow& row : rows) backends.push_back(row.label);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::vector<std::vector<std::string>> others;
    for (std::size_t j = 0; j < rows.size(); ++j)
      if (j != i && backends[j] == backends[i]) others.push_back(Words(details[j]));
    if (others.empty()) continue;
    for (const std::string& w : Words(details[i])) {
      const bool shared = std::all_of(others.begin(), others.end(), [&](const auto& other) {
        return std::find(other.begin(), other.end(), w) != other.end();
      });
      if (!shared) rows[i].label += " " + w;
    }
  }
}

bool Measured(const CellRecord* c) {
  return c != nullptr && c->status == CellStatus::kOk && c->wall.stats.n > 0;
}

void MarkFastest(Matrix& m) {
  m.marks.assign(m.rows.size(), std::vector<Mark>(m.columns.size(), Mark::kNone));
  for (std::size_t col = 0; col < m.columns.size(); ++col) {
    const CellRecord* best = nullptr;
    std::size_t best_row = 0;
    for (std::size_t row = 0; row < m.rows.size(); ++row) {
      const CellRecord* c = m.rows[row].cells[col];
      if (Measured(c) && (best == nullptr || c->wall.stats.median < best->wall.stats.median)) {
        best = c;
        best_row = row;
      }
    }
    if (best == nullptr) continue;
    for (std::size_t row = 0; row < m.rows.size(); ++row) {
      const CellRecord* c = m.rows[row].cells[col];
      if (row != best_row && Measured(c) && c->wall.stats.ci_low <= best->wall.stats.ci_high)
        m.marks[row][col] = Mark::kTied;
    }
    m.marks[best_row][col] = Mark::kFastest;
  }
}

// "L1 3Ki: fastest highway 390 GB/s = 101% of its ceiling copy (36.2 GB/s), 2.71x serial".
std::string PerLevel(const Report& r, const Matrix& m, std::size_t col) {
  const CellRecord* best = nullptr;
  const CellRecord* serial = nullptr;
  for (std::size_t row = 0; row < m.rows.size(); ++row) {
    const CellRecord* c = m.rows[row].cells[col];
    if (m.marks[row][col] == Mark::kFastest) best = c;
    if (Measured(c) && c->params.backend == kSerialExecutor && c->params.threads == 1) serial = c;
  }
  const MatrixColumn& column = m.columns[col];
  std::string line = fmt::format("{} {}: ", column.level, FormatCount(column.elements));
  if (best == nullptr) return line + "nothing verified";
  line += fmt::format("fastest {}, {} GB/s", best->params.backend,
                      FormatRate(GigabytesPerSecond(best->params, best->wall.stats.median)));
  if (const auto e = RateAgainstCeiling(r, *best)) {
    line += fmt::format(" = {:.0f}% of its ceiling {}", e->percent, CellLabel(*e->ceiling));
  } else {
    line += ", no ceiling measured";
  }
  if (serial != nullptr && serial != best)
    line += fmt::format(", {:.2f}x serial", serial->wall.stats.median / best->wall.stats.median);
  return line;
}

}  // namespace

std::string MatrixCellText(const Report& r, const CellRecord* c) {
  if (c == nullptr) return "";
  if (c->status != CellStatus::kOk) return std::string(Name(c->status));
  if (c->wall.stats.n == 0) return "-";
  const std::string rate = FormatRate(GigabytesPerSecond(c->params, c->wall.stats.median));
  const auto e = RateAgainstCeiling(r, *c);
  return e ? fmt::format("{} {:.0f}%", rate, e->percent) : rate + " -";
}

std::vector<Matrix> BuildMatrices(const Report& r) {
  std::vector<Matrix> matrices;
  std::vector<std::vector<std::string>> row_keys;
  std::map<DType, std::vector<std::pair<std::string, std::vector<std::string>>>> problems;
  const auto note_problem = [&](const CellRecord& c) {
    auto& list = problems[c.params.dtype];
    std::string message = c.message;
    for (std::size_t at; (at = message.find('\n')) != std::string::npos;)
      message.replace(at, 1, "; ");
    const std::string what = fmt::format("{} {}: {}", Name(c.status), c.params.backend, message);
    auto it =
        std::find_if(list.begin(), list.end(), [&](const auto& p) { return p.first == what; });
    if (it == list.end()) it = list.insert(list.end(), {what, {}});
    if (c.params.elements > 0) it->second.push_back(FormatCount(c.params.elements));
  };
  for (const CellRecord& c : r.cells) {
    if (c.operation != Operation::kSquare) continue;
    if (c.status != CellStatus::kOk) note_problem(c);
    if (c.params.elements == 0) continue;  // a backend that cannot run here at all
    auto m = std::find_if(matrices.begin(), matrices.end(),
                          [&](const Matrix& x) { return x.dtype == c.params.dtype; });
    if (m == matrices.end()) {
      matrices.push_back({.dtype = c.params.dtype});
      row_keys.emplace_back();
      m = matrices.end() - 1;
    }
    auto& keys = row_keys[m - matrices.begin()];
    const auto col = std::find_if(m->columns.begin(), m->columns.end(),
                                  [&](const auto& x) { return x.elements == c.params.elements; });
    const std::size_t column = col - m->columns.begin();
    if (col == m->columns.end()) {
      m->columns.push_back({c.params.elements, c.level});
      for (MatrixRow& row : m->rows) row.cells.push_back(nullptr);
    }
    const std::string key = CellKey(c, KeySize::kNone);
    auto k = std::find(keys.begin(), keys.end(), key);
    if (k == keys.end()) {
      keys.push_back(key);
      m->rows.push_back({c.params.backend, std::vector<const CellRecord*>(m->columns.size())});
      k = keys.end() - 1;
    }
    MatrixRow& row = m->rows[k - keys.begin()];
    row.cells[column] = &c;
    if (!c.summary.empty() &&
        std::find(row.resolved.begin(), row.resolved.end(), c.summary) == row.resolved.end())
      row.resolved.push_back(c.summary);
  }
  for (std::size_t i = 0; i < matrices.size(); ++i) {
    Matrix& m = matrices[i];
    std::vector<std::string> details;
    for (const MatrixRow& row : m.rows) {
      const CellRecord* any = *std::find_if(row.cells.begin(), row.cells.end(),
                                            [](const CellRecord* c) { return c != nullptr; });
      details.push_back(Detail(*any));
    }
    LabelRows(m.rows, details);
    MarkFastest(m);
    for (std::size_t col = 0; col < m.columns.size(); ++col)
      m.per_level.push_back(PerLevel(r, m, col));
    for (const auto& [what, sizes] : problems[m.dtype])
      m.problems.push_back(sizes.empty() ? what
                                         : fmt::format("{} (at {})", what, fmt::join(sizes, ", ")));
  }
  return matrices;
}

std::string FlagCounts(const Report& r) {
  // The kind of a flag: its words before a ':' with counts taken out ("2 outlier(s)": outliers).
  const auto kind = [](const std::string& flag) -> std::string {
    if (flag.find("outlier") != std::string::npos) return "with outliers";
    if (flag.rfind("ran on ", 0) == 0) return "on fewer threads than given";
    if (flag.find("started while") != std::string::npos) return "started while others were busy";
    return flag.substr(0, flag.find(':'));
  };
  std::map<std::string, int> counts;
  for (const CellRecord& c : r.cells) {
    std::vector<std::string> kinds;
    for (const std::string& f : c.flags) kinds.push_back(kind(f));
    std::sort(kinds.begin(), kinds.end());
    kinds.erase(std::unique(kinds.begin(), kinds.end()), kinds.end());
    for (const std::string& k : kinds) ++counts[k];
  }
  std::vector<std::pair<int, std::string>> order;
  for (const auto& [k, n] : counts) order.emplace_back(-n, k);
  std::sort(order.begin(), order.end());
  std::string out;
  for (const auto& [n, k] : order)
    out += fmt::format("{}{} cell{} {}", out.empty() ? "" : ", ", -n, n == -1 ? "" : "s", k);
  return out;
}

}  // namespace sqb
