// What MPI ranks send each other, as text: rank 0's plan, each rank's row of a cell, each rank's
// fingerprint. One translation unit pays for nlohmann-json's templates.
#include "harness/rank_messages.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "harness/registry.h"

namespace sqb {
namespace {

using Json = nlohmann::ordered_json;

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

std::string RankRowToText(const RankRecord& row) {
  const Json j = {{"rank", row.rank},       {"host", row.host},           {"cpus", row.cpus},
                  {"device", row.device},   {"elements", row.elements},   {"status", row.status},
                  {"message", row.message}, {"samples", row.wall.samples}};
  return j.dump();
}

RankRecord RankRowFromText(const std::string& text) {
  const Json j = Json::parse(text);
  RankRecord row;
  j.at("rank").get_to(row.rank);
  j.at("host").get_to(row.host);
  j.at("cpus").get_to(row.cpus);
  j.at("device").get_to(row.device);
  j.at("elements").get_to(row.elements);
  j.at("status").get_to(row.status);
  j.at("message").get_to(row.message);
  j.at("samples").get_to(row.wall.samples);
  return row;
}

std::string FieldsToText(const std::vector<std::pair<std::string, std::string>>& fields) {
  return Json(fields).dump();
}

std::vector<std::pair<std::string, std::string>> FieldsFromText(const std::string& text) {
  return Json::parse(text).get<std::vector<std::pair<std::string, std::string>>>();
}

}  // namespace sqb
