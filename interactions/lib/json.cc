// toJson: the `seam interactions --json` document (format "seam-interactions",
// version kInteractionsVersion; fields documented in docs/interactions.md).
#include "seam/interactions/interactions.h"

namespace seam::interactions {
using nlohmann::json;

namespace {

json tablesJson(const std::vector<TableOp>& tables) {
  json out = json::array();
  for (const auto& t : tables) out.push_back({{"table", t.table}, {"op", t.op}, {"owner", t.owner}});
  return out;
}

}  // namespace

json toJson(const Analysis& a) {
  json doc = {{"format", "seam-interactions"},
              {"version", kInteractionsVersion},
              {"store", a.store},
              {"plan", a.plan},
              {"granularity", a.granularity},
              {"services", a.services},
              {"counts",
               {{"query", a.count(Kind::kQuery)},
                {"command", a.count(Kind::kCommand)},
                {"notification", a.count(Kind::kNotification)},
                {"transaction_groups", a.transaction_groups},
                {"distributed_transactions", a.distributed().size()}}},
              {"interactions", json::array()},
              {"pairs", json::array()},
              {"events", json::array()},
              {"transactions", json::array()},
              {"notes", a.notes}};
  for (const Interaction& i : a.interactions) {
    json j = {{"kind", kindName(i.kind)},
              {"from", i.from_service},
              {"to", i.to_service},
              {"caller", i.caller},
              {"callee", i.callee},
              {"sites", i.sites},
              {"discarded_sites", i.discarded_sites},
              {"location", i.location},
              {"callee_location", i.callee_location},
              {"tables", tablesJson(i.tables)},
              {"hot", i.hot},
              {"traffic", i.traffic},
              {"latency_routes", i.latency_routes},
              {"recommendation", i.recommendation},
              {"transactions", i.transactions},
              {"in_distributed_transaction", i.in_distributed_transaction}};
    if (!i.event.empty()) j["event"] = i.event;
    doc["interactions"].push_back(std::move(j));
  }
  for (const PairCounts& p : a.pairs) {
    doc["pairs"].push_back(
        {{"from", p.from}, {"to", p.to}, {"query", p.query}, {"command", p.command}, {"notification", p.notification}});
  }
  for (const Event& e : a.events) {
    doc["events"].push_back({{"name", e.name},
                             {"publisher", e.publisher},
                             {"callee", e.callee},
                             {"callee_location", e.callee_location},
                             {"producers", e.producers},
                             {"callers", e.callers},
                             {"sites", e.sites},
                             {"tables", tablesJson(e.tables)},
                             {"payload", e.payload},
                             {"payload_known", !e.payload.empty()}});
  }
  for (const DistributedTransaction& d : a.transactions) {
    json saga = json::array();
    for (const SagaStep& s : d.saga) {
      json accesses = json::array();
      for (const StepAccess& x : s.accesses) {
        accesses.push_back({{"table", x.table},
                            {"op", x.op},
                            {"columns", x.columns},
                            {"function", x.function},
                            {"location", x.location},
                            {"depth", x.depth},
                            {"compensation", x.compensation}});
      }
      saga.push_back({{"step", s.order},
                      {"service", s.service},
                      {"local", s.local},
                      {"compensable", s.compensable()},
                      {"accesses", std::move(accesses)}});
    }
    json remote = json::array();
    for (const auto& r : d.remote_calls) {
      remote.push_back({{"caller", r.caller},
                        {"callee", r.callee},
                        {"from", r.from_service},
                        {"to", r.to_service},
                        {"kind", kindName(r.kind)},
                        {"depth", r.depth},
                        {"location", r.location}});
    }
    const KeepTogether& k = d.keep_together;
    doc["transactions"].push_back({{"id", d.id},
                                   {"category", d.category},
                                   {"entry", d.entry},
                                   {"entry_service", d.entry_service},
                                   {"kind", d.kind},
                                   {"guard", d.guard},
                                   {"location", d.location},
                                   {"certainty", d.certainty},
                                   {"note", d.note},
                                   {"routes", d.routes},
                                   {"traffic", d.traffic},
                                   {"services", d.services},
                                   {"write_services", d.write_services},
                                   {"tables", tablesJson(d.tables)},
                                   {"saga", std::move(saga)},
                                   {"keep_together",
                                    {{"service", k.service},
                                     {"tables", k.tables},
                                     {"statements", k.statements},
                                     {"lines", k.lines},
                                     {"functions", k.functions}}},
                                   {"recommendation", d.recommendation},
                                   {"reason", d.reason},
                                   {"remote_calls", std::move(remote)}});
  }
  return doc;
}

}  // namespace seam::interactions
