// plan.json: the decomposer's output (format in docs/plan-format.md, version
// kPlanVersion), the ordered strangler extraction steps, and the terminal
// summary. The plan is the contract with `seam plan`, `seam smells`,
// `seam report` and the proxy config generator: change it only with a version bump.
//
//   Decomposition (+ Facts for names) --toPlanJson--> plan.json
//   plan.json + CouplingGraph --assignmentFromPlan--> service per node
//   CouplingGraph + assignment --extractionSteps--> steps (also in plan.json)
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "seam/decomposer/decompose.h"
#include "seam/decomposer/fact_store.h"

namespace seam::decomposer {

inline constexpr int kPlanVersion = 1;

struct RemoteCall {
  std::string from;    ///< service of the caller
  std::string to;      ///< service of the callee
  std::string callee;  ///< qualified name (or node name without facts)
  int64_t sites = 0;
};

struct RiskInputs {
  int64_t remote_calls = 0;     ///< call sites that become remote
  int64_t data_accesses = 0;    ///< statements crossing the service's data boundary
  int64_t routes = 0;           ///< routes moved behind the proxy
  double instability = 0;       ///< 1 - mean stability of the service's nodes
};

struct ExtractionStep {
  int index = 0;  ///< 1-based
  std::string service;
  std::vector<std::string> routes;             ///< "METHOD /path"
  std::vector<std::string> migrate_tables;     ///< owned tables that move with the service
  std::vector<std::string> replicate_tables;   ///< "table (owner)": others' tables it still reads or writes
  std::vector<RemoteCall> remote_calls;        ///< in-process calls with the remaining monolith
  double depended_on = 0;    ///< coupling weight from the remaining monolith into it
  double entanglement = 0;   ///< coupling weight with the remaining monolith, both directions
  RiskInputs risk_inputs;
  double risk = 0;           ///< 0..1, formula in docs/decomposer.md
};

/// A view of services over a graph: what steps and plan need.
struct ServiceAssignment {
  std::vector<uint32_t> service;  ///< per node
  std::vector<std::string> names;
  std::optional<uint32_t> kernel;
  std::vector<double> stability;  ///< per node
  std::set<uint32_t> outside;     ///< other groups that are not services (composition roots, excluded code)
  /// The groups that are not services: the kernel and `outside`.
  std::set<uint32_t> nonServices() const;
};

/// risk = 0.35*c/(c+10) + 0.30*d/(d+5) + 0.15*r/(r+5) + 0.20*(1 - stability)
double riskScore(const RiskInputs& in);

/// Greedy order: at each step the remaining service with the least coupling
/// weight from the rest of the monolith into it (least depended on), then the
/// least total coupling with it (least entangled), then by name.
std::vector<ExtractionStep> extractionSteps(const CouplingGraph& g, const ServiceAssignment& a, const Facts* facts);

nlohmann::json toPlanJson(const Decomposition& d, const Facts* facts, const std::string& source);
nlohmann::json stepsToJson(const std::vector<ExtractionStep>& steps);

/// Reads a plan and maps its services back onto `g`'s nodes (by name). Fails on
/// another format/version, or when the plan names no node of the graph.
Expected<ServiceAssignment> assignmentFromPlan(const nlohmann::json& plan, const CouplingGraph& g);
Expected<nlohmann::json> readPlanFile(const std::string& path);

/// The human summary of a plan (services, kernel, tables, metrics vs baselines, steps).
void printPlanSummary(const nlohmann::json& plan, std::ostream& out);

}  // namespace seam::decomposer
