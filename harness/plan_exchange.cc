// A plan's measured part as text, and its spreading over MPI ranks.
#include "harness/plan_exchange.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "harness/registry.h"

namespace sqb {
namespace {

using Json = nlohmann::json;

Json ParamsJson(const CellParams& p) {
  return {{"backend", p.backend}, {"executor", p.executor}, {"chunk_kernel", p.chunk_kernel},
          {"variant", p.variant}, {"dtype", p.dtype},       {"elements", p.elements},
          {"offset", p.offset},   {"threads", p.threads},   {"binding", p.binding},
          {"knobs", p.knobs},     {"ranks", p.ranks},       {"mpi_mode", p.mpi_mode}};
}

CellParams ParamsFrom(const Json& j) {
  CellParams p;
  j.at("backend").get_to(p.backend);
  j.at("executor").get_to(p.executor);
  j.at("chunk_kernel").get_to(p.chunk_kernel);
  j.at("variant").get_to(p.variant);
  j.at("dtype").get_to(p.dtype);
  j.at("elements").get_to(p.elements);
  j.at("offset").get_to(p.offset);
  j.at("threads").get_to(p.threads);
  j.at("binding").get_to(p.binding);
  j.at("knobs").get_to(p.knobs);
  j.at("ranks").get_to(p.ranks);
  j.at("mpi_mode").get_to(p.mpi_mode);
  return p;
}

}  // namespace

std::string PlanToText(const Plan& plan) {
  Json groups = Json::array();
  for (const SizeGroup& g : plan.groups) {
    Json cells = Json::array();
    for (const PlannedCell& c : g.cells)
      cells.push_back({{"info", c.backend->name},
                       {"params", ParamsJson(c.params)},
                       {"level", c.level},
                       {"ceiling_set", c.ceiling_set}});
    groups.push_back({{"dtype", g.dtype},
                      {"elements", g.elements},
                      {"offset", g.offset},
                      {"level", g.level},
                      {"cells_at_once", g.cells_at_once},
                      {"cells", cells}});
  }
  return groups.dump();
}

Plan PlanFromText(const std::string& text) {
  Plan plan;
  for (const Json& jg : Json::parse(text)) {
    SizeGroup g;
    jg.at("dtype").get_to(g.dtype);
    jg.at("elements").get_to(g.elements);
    jg.at("offset").get_to(g.offset);
    jg.at("level").get_to(g.level);
    jg.at("cells_at_once").get_to(g.cells_at_once);
    for (const Json& jc : jg.at("cells")) {
      PlannedCell c;
      const std::string name = jc.at("info").get<std::string>();
      c.backend = FindBackend(name);
      if (c.backend == nullptr)
        throw std::runtime_error(
            fmt::format("rank 0 planned backend '{}', which this binary does not have", name));
      c.params = ParamsFrom(jc.at("params"));
      jc.at("level").get_to(c.level);
      jc.at("ceiling_set").get_to(c.ceiling_set);
      g.cells.push_back(std::move(c));
    }
    plan.groups.push_back(std::move(g));
  }
  return plan;
}

std::uint64_t RankShare(std::uint64_t total, int ranks, int rank) {
  const auto p = static_cast<std::uint64_t>(ranks), r = static_cast<std::uint64_t>(rank);
  return total / p + (r < total % p ? 1 : 0);
}

void SpreadOverRanks(Plan& plan, int ranks, const std::vector<std::string>& modes, bool total,
                     const CacheSizes& caches) {
  const auto p = static_cast<std::uint64_t>(ranks);
  for (SizeGroup& g : plan.groups) {
    if (total && g.elements < p)
      throw UsageError(fmt::format("--mpi-size total: {} elements cannot be split over {} ranks",
                                   g.elements, ranks));
    if (!total && g.elements > kMaxElements / p)
      throw UsageError(
          fmt::format("{} elements per rank x {} ranks is over the most a cell may "
                      "hold ({})",
                      g.elements, ranks, kMaxElements));
    const std::uint64_t all = total ? g.elements : g.elements * p;
    const std::uint64_t share = RankShare(all, ranks, 0);
    const std::uint64_t share_bytes = 2 * SizeOf(g.dtype) * share;
    g.elements = all;
    if (total) g.level = ClassifyLevel(share_bytes, caches);
    std::vector<PlannedCell> spread;
    for (const std::string& mode : modes) {
      for (PlannedCell c : g.cells) {
        c.params.elements = all;
        c.params.ranks = ranks;
        c.params.mpi_mode = mode;
        c.ceiling_set += " mpi=" + mode;
        if (total) {
          const auto own =
              c.backend->device_caches ? c.backend->device_caches(c.params.variant) : std::nullopt;
          c.level = ClassifyLevel(share_bytes, own ? *own : caches);
        }
        spread.push_back(std::move(c));
      }
    }
    g.cells = std::move(spread);
  }
}

}  // namespace sqb
