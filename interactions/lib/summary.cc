// printSummary: the human terminal summary of `seam interactions`.
#include <iomanip>

#include "seam/interactions/interactions.h"

namespace seam::interactions {
namespace {

std::string joined(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string opsOf(const std::vector<TableOp>& tables) {
  std::vector<std::string> parts;
  for (const auto& t : tables) parts.push_back(t.op + " " + t.table);
  return joined(parts);
}

}  // namespace

void printSummary(const Analysis& a, std::ostream& out) {
  out << "interactions: " << a.interactions.size() << " cross-service call(s) between " << a.services.size()
      << " services: " << a.count(Kind::kQuery) << " query, " << a.count(Kind::kCommand) << " command, "
      << a.count(Kind::kNotification) << " notification\n";
  if (!a.pairs.empty()) {
    out << "\n  " << std::left << std::setw(34) << "from -> to" << std::right << std::setw(8) << "query"
        << std::setw(9) << "command" << std::setw(14) << "notification\n";
    for (const PairCounts& p : a.pairs) {
      out << "  " << std::left << std::setw(34) << (p.from + " -> " + p.to) << std::right << std::setw(8) << p.query
          << std::setw(9) << p.command << std::setw(13) << p.notification << "\n";
    }
  }
  if (!a.events.empty()) {
    out << "\nevents (asynchronous, through a transactional outbox):\n";
    for (const Event& e : a.events) {
      out << "  " << e.name << "  published by " << e.publisher << " (today " << e.callee << ", " << e.sites
          << " site(s) from " << joined(e.producers) << ")\n";
    }
  }
  std::vector<const DistributedTransaction*> dist = a.distributed();
  out << "\ntransactions: " << a.transaction_groups << " group(s), " << dist.size() << " distributed, "
      << (a.transactions.size() - dist.size()) << " reading other services' tables\n";
  int rank = 0;
  for (const DistributedTransaction* d : dist) {
    out << "\n  #" << ++rank << " " << d->entry << " (" << d->location << ", " << d->kind
        << (d->guard.empty() ? "" : " " + d->guard) << ")";
    if (d->certainty != "exact") out << "  [" << d->certainty << ": " << d->note << "]";
    out << "\n     services: " << joined(d->services) << "; writes " << joined(d->write_services) << "\n";
    if (!d->routes.empty()) {
      out << "     routes:   " << joined(d->routes);
      if (d->traffic > 0) out << " (" << d->traffic << " requests)";
      out << "\n";
    }
    out << "     saga:\n";
    for (const SagaStep& s : d->saga) {
      out << "       " << s.order << ". " << s.service << (s.local ? " (local)" : "") << "\n";
      for (const StepAccess& x : s.accesses) {
        out << "          " << x.op << " " << x.table << "  (" << x.function << ", " << x.location << ")";
        if (!x.compensation.empty()) out << "\n            compensate: " << x.compensation;
        out << "\n";
      }
    }
    const KeepTogether& k = d->keep_together;
    out << "     alternative: keep " << joined(k.tables) << " in " << k.service << ": " << k.statements
        << " statement(s), " << k.lines << " line(s) elsewhere\n";
    out << "     recommendation: " << d->recommendation << " (" << d->reason << ")\n";
    for (const auto& r : d->remote_calls) {
      out << "     synchronous call inside the transaction: " << r.caller << " -> " << r.callee << " (" << r.to_service
          << ", " << kindName(r.kind) << ", " << r.location << ")\n";
    }
  }
  for (const DistributedTransaction& d : a.transactions) {
    if (d.category == "distributed") continue;
    out << "\n  reads across services in " << d.entry << " (" << d.location << "): " << opsOf(d.tables) << "\n";
  }
  for (const auto& n : a.notes) out << "\nnote: " << n << "\n";
}

}  // namespace seam::interactions
