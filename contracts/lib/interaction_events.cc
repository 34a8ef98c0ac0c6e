// eventsFromInteractions: the events seam::interactions classifies
// (notifications: fire-and-forget calls across a boundary, one event per
// callee) as EventFacts. Producers (the callers' services) send; the callee's
// service -- `publisher` in interactions, as it owns the outbox today --
// receives and handles it.
#include "seam/contracts/contracts.h"
#include "seam/interactions/interactions.h"

namespace seam::contracts {

Expected<std::vector<EventFact>> eventsFromInteractions(const std::string& db_path, const std::string& plan_path) {
  auto analysis = interactions::analyzeFiles(db_path, plan_path, interactions::Options{});
  if (!analysis.ok()) return badInput(analysis.error().message);
  std::vector<EventFact> events;
  for (const interactions::Event& e : analysis->events) {
    events.push_back(EventFact{e.name, e.callee, e.publisher, e.producers});
  }
  return events;
}

}  // namespace seam::contracts
