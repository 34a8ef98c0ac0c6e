// The facts `seam contracts` reads: a read-only snapshot of the parts of the
// fact store (docs/fact-store.md) and of plan.json (docs/plan-format.md) that
// contracts are made from. Plain data, filled by readFacts()/readPlan() or by
// tests directly; the builders never touch SQLite or files.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "seam/contracts/status.h"

namespace seam::contracts {

struct Symbol {
  int64_t id = 0;
  std::string name;            ///< placeOrder, lambda@58:34
  std::string qualified_name;  ///< bookstore::orders::placeOrder
  std::string kind;            ///< function | method | lambda | ...
  std::string module;
  std::string location;        ///< path:line
};

struct Route {
  std::string method;  ///< GET, POST, ... or ANY
  std::string path;    ///< as registered: /api/books/:id, R"(/api/books/(\d+))", or "?"
  int64_t handler_id = 0;
  std::string module;  ///< the handler's module
  std::string location;
};

/// A row of json_fields: a key read (in), written (out) or a query parameter.
struct JsonField {
  int64_t symbol_id = 0;
  std::string direction;  ///< in | out | query
  std::string parent;     ///< "" | "items[]" | "a.b"
  std::string name, type, via, object;
  bool required = false, nullable = false, open = false;
  std::string location;
};

/// A row of type_members: parameter, return or field as a JSON type.
struct TypeMember {
  std::string kind;  ///< param | return | field
  int position = 0;
  std::string name, cpp_type, json_type, items;
  bool nullable = false;
  int64_t record_id = 0;
};

struct Facts {
  std::map<int64_t, Symbol> symbols;
  std::vector<Route> routes;
  std::map<int64_t, std::vector<int64_t>> calls;             ///< caller -> callees (call, virtual_call)
  std::map<int64_t, std::vector<JsonField>> json_fields;     ///< by symbol
  std::map<int64_t, std::vector<TypeMember>> members;        ///< by owner (function or record)
  std::map<std::string, std::vector<int64_t>> by_qualified_name;
};

struct PlanService {
  std::string name;
  std::vector<std::string> modules;
  struct Function {
    std::string name;  ///< qualified name, as in the fact store
    std::vector<std::string> callers;
    int sites = 0;
  };
  std::vector<Function> functions;  ///< api.functions: called across the boundary
};

struct Plan {
  std::vector<PlanService> services;
};

/// Reads the fact store read-only. Refuses (kBadInput) a missing file, a
/// file that is not a Seam store, a store of another schema version, and a
/// store written before the contracts facts existed (no json_fields or
/// type_members table: "re-run seam analyze").
Expected<Facts> readFacts(const std::string& db_path);

/// Reads plan.json (format seam-plan, version 1).
Expected<Plan> readPlan(const std::string& plan_path);

}  // namespace seam::contracts
