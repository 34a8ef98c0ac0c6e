// seam contracts: an OpenAPI 3.1 and an AsyncAPI 3.0 document per proposed
// service, from the fact store and the plan.
//
//   seam.db   --readFacts--> Facts  --+
//   plan.json --readPlan---> Plan   --+--buildContracts--> ServiceContract per service
//   events (seam::interactions)     --+                          |
//                                  writeContracts <--------------+
//     => <out>/<service>.openapi.yaml, <out>/<service>.asyncapi.yaml (when it has events)
//
// Mapping rules (routes, internal endpoints, schemas, unknown markers) are in
// docs/contracts.md. Nothing is invented: whatever the facts do not show is
// marked `x-seam-unknown: true` with a description saying why.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "seam/contracts/facts.h"
#include "seam/contracts/status.h"

namespace seam::contracts {

/// An asynchronous event (a notification: a fire-and-forget call across a
/// boundary, published through an outbox), as classified by seam::interactions.
struct EventFact {
  std::string name;                    ///< e.g. NotificationRequested
  std::string callee;                  ///< qualified name of the function called today
  std::string receiver;                ///< service of the callee: it handles (receives) the event
  std::vector<std::string> producers;  ///< services whose code raises it today: they send it
};

/// Counts for one service's documents: how much was derived, how much is unknown.
struct ContractCounts {
  int routes = 0;              ///< HTTP routes taken over
  int internal = 0;            ///< internal endpoints (functions called across the boundary)
  int request_derived = 0;     ///< operations with a request schema derived from the code
  int request_unknown = 0;     ///< operations whose request is marked unknown
  int response_derived = 0;
  int response_unknown = 0;
  int events_sent = 0;
  int events_received = 0;
  int payloads_derived = 0;    ///< events whose payload schema was derived
};

struct ServiceContract {
  std::string service;
  nlohmann::ordered_json openapi;
  nlohmann::ordered_json asyncapi;  ///< null when the service sends and receives no event
  ContractCounts counts;
};

/// The events seam::interactions classifies over the store and the plan
/// (docs/interactions.md): producers send, the callee's service receives.
Expected<std::vector<EventFact>> eventsFromInteractions(const std::string& db_path, const std::string& plan_path);

/// Builds every service's documents. Fails (kBadInput) when the plan does
/// not match the store: a service none of whose modules is in the store.
Expected<std::vector<ServiceContract>> buildContracts(const Facts& facts, const Plan& plan,
                                                      const std::vector<EventFact>& events);

enum class Format { kYaml, kJson };

/// Writes <dir>/<service>.openapi.{yaml,json} and, for services with events,
/// <dir>/<service>.asyncapi.{yaml,json}. Creates `dir` if needed. Every file is
/// written to a temporary name first and renamed only when all were written:
/// on failure no new or half-written document is left. Returns the paths.
Expected<std::vector<std::string>> writeContracts(const std::vector<ServiceContract>& contracts,
                                                  const std::string& dir, Format format);

/// YAML text of a JSON document (block style; strings YAML would read as
/// another type are quoted).
std::string toYaml(const nlohmann::ordered_json& doc);

/// The file name stem for a service: [A-Za-z0-9._-], others become '-'.
std::string fileStem(const std::string& service);

}  // namespace seam::contracts
