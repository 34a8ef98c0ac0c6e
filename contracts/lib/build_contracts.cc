// buildContracts: Facts + Plan (+ events) -> one OpenAPI 3.1 and one
// AsyncAPI 3.0 document per service. Rules in docs/contracts.md.
//
//   route (module in service) -> path template, operationId
//     request  = json_fields "in" of the handler and of the callees the JSON
//                body flows into (functions with a nlohmann::json parameter)
//     query    = json_fields "query" of the handler and of callees taking the request
//     response = objects the handler sends, else objects returned by the
//                JSON-returning functions it calls
//   plan api.functions -> POST /internal/<service>/<function>: body from the
//                parameters, response from the return type (type_members)
//   events -> channels; producers send, the callee's service receives
#include <algorithm>
#include <cctype>
#include <deque>
#include <functional>
#include <map>
#include <set>

#include "schemas.h"
#include "seam/contracts/contracts.h"
#include "seam/contracts/path_template.h"

namespace seam::contracts {
namespace {

constexpr int kRequestDepth = 4;   // handler -> parse helper -> nested helpers
constexpr int kResponseDepth = 3;  // handler -> details() -> page helper

bool isExternal(const std::string& module) { return module.rfind("external:", 0) == 0; }

const std::vector<TypeMember>* membersOf(const Facts& f, int64_t id) {
  auto it = f.members.find(id);
  return it == f.members.end() ? nullptr : &it->second;
}

bool hasParam(const Facts& f, int64_t id, const std::function<bool(const TypeMember&)>& pred) {
  if (const auto* ms = membersOf(f, id)) {
    for (const TypeMember& m : *ms) {
      if (m.kind == "param" && pred(m)) return true;
    }
  }
  return false;
}

bool takesJson(const Facts& f, int64_t id) {
  return hasParam(f, id, [](const TypeMember& m) { return m.json_type == "json"; });
}

bool takesRequest(const Facts& f, int64_t id) {
  return hasParam(f, id, [](const TypeMember& m) { return m.cpp_type.find("Request") != std::string::npos; });
}

bool returnsJson(const Facts& f, int64_t id) {
  if (const auto* ms = membersOf(f, id)) {
    for (const TypeMember& m : *ms) {
      if (m.kind == "return") return m.json_type == "json";
    }
  }
  return false;
}

const std::vector<JsonField>& fieldsOf(const Facts& f, int64_t id) {
  static const std::vector<JsonField> kNone;
  auto it = f.json_fields.find(id);
  return it == f.json_fields.end() ? kNone : it->second;
}

/// Breadth-first over call edges from `start` (depth 0), entering a callee
/// only when `enter` says so and never into external modules.
void walkCalls(const Facts& f, int64_t start, int max_depth, const std::function<bool(int64_t, int)>& visit) {
  std::set<int64_t> seen{start};
  std::deque<std::pair<int64_t, int>> queue{{start, 0}};
  while (!queue.empty()) {
    auto [id, depth] = queue.front();
    queue.pop_front();
    if (!visit(id, depth) || depth >= max_depth) continue;
    auto it = f.calls.find(id);
    if (it == f.calls.end()) continue;
    for (int64_t callee : it->second) {
      auto sym = f.symbols.find(callee);
      if (sym == f.symbols.end() || isExternal(sym->second.module)) continue;
      if (seen.insert(callee).second) queue.emplace_back(callee, depth + 1);
    }
  }
}

std::string camel(const std::string& text, bool upper_first) {
  std::string out;
  bool up = upper_first;
  for (char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      up = true;
      continue;
    }
    out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    up = false;
  }
  return out;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string lastComponents(const Symbol& s) {
  const std::string& q = s.qualified_name;
  size_t last = q.rfind("::");
  if (last == std::string::npos) return q;
  if (s.kind == "method" || s.kind == "constructor") {
    size_t prev = last == 0 ? std::string::npos : q.rfind("::", last - 1);
    std::string cls = q.substr(prev == std::string::npos ? 0 : prev + 2, last - (prev == std::string::npos ? 0 : prev + 2));
    return cls + "." + q.substr(last + 2);
  }
  return q.substr(last + 2);
}

class ServiceBuilder {
 public:
  ServiceBuilder(const Facts& facts, const PlanService& service) : f_(facts), s_(service) {}

  ServiceContract build(const std::vector<EventFact>& events) {
    ServiceContract c;
    c.service = s_.name;
    std::set<std::string> modules(s_.modules.begin(), s_.modules.end());
    for (const Route& r : f_.routes) {
      if (modules.count(r.module)) addRoute(r, c.counts);
    }
    for (const PlanService::Function& fn : s_.functions) addInternal(fn, c.counts);
    c.openapi = Json{{"openapi", "3.1.0"},
                     {"info", Json{{"title", s_.name + " service"},
                                   {"version", "0.1.0"},
                                   {"description", "Proposed service '" + s_.name + "' (modules: " + joined(s_.modules) +
                                                       "). Generated by `seam contracts` from the fact store and "
                                                       "the plan; `x-seam-unknown: true` marks what the code does "
                                                       "not show (docs/contracts.md)."}}},
                     {"tags", tags()},
                     {"paths", paths_}};
    c.openapi["x-seam"] = Json{{"service", s_.name}, {"modules", s_.modules}};
    c.asyncapi = asyncApi(events, c.counts);
    return c;
  }

 private:
  static std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const std::string& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
  }

  Json tags() const {
    Json out = Json::array();
    for (const std::string& t : tags_) out.push_back(Json{{"name", t}});
    return out;
  }

  std::string uniqueOperationId(std::string id) {
    if (id.empty()) id = "operation";
    std::string candidate = id;
    for (int n = 2; !operation_ids_.insert(candidate).second; ++n) candidate = id + std::to_string(n);
    return candidate;
  }

  void addRoute(const Route& r, ContractCounts& counts) {
    if (r.path == "?" || r.path.empty()) {
      notes_.push_back("route at " + r.location + " has a path that is not a constant: left out");
      return;
    }
    PathTemplate tpl = toPathTemplate(r.path);
    auto sym = f_.symbols.find(r.handler_id);
    const Symbol* handler = sym == f_.symbols.end() ? nullptr : &sym->second;

    Json op = Json::object();
    std::string op_id;
    if (handler && handler->kind != "lambda") {
      op_id = camel(handler->name, false);
    } else {
      op_id = lower(r.method == "ANY" ? "any" : r.method) + camel(tpl.path, true);
    }
    op["operationId"] = uniqueOperationId(op_id);
    op["summary"] = r.method + " " + r.path;
    if (!r.module.empty()) {
      op["tags"] = Json::array({r.module});
      tags_.insert(r.module);
    }
    op["x-seam-handler"] = handler ? handler->qualified_name : "(unresolved)";
    op["x-seam-location"] = r.location;
    if (!tpl.exact) {
      op["x-seam-route-pattern"] = r.path;
      op["x-seam-path-inexact"] = true;
    }

    Json parameters = Json::array();
    for (const PathParameter& p : tpl.parameters) {
      parameters.push_back(Json{{"name", p.name},
                                {"in", "path"},
                                {"required", true},
                                {"schema", Json{{"type", p.type}}},
                                {"x-seam-pattern", p.pattern}});
    }
    std::vector<JsonField> in, query;
    if (handler) collectInputs(handler->id, in, query);
    std::set<std::string> query_names;
    std::map<std::string, JsonField> merged_query;
    std::vector<std::string> query_order;
    for (const JsonField& q : query) {
      auto [it, inserted] = merged_query.try_emplace(q.name, q);
      if (inserted) {
        query_order.push_back(q.name);
      } else {
        if (it->second.type == "unknown") it->second.type = q.type;
        it->second.required = it->second.required || q.required;
      }
    }
    for (const std::string& name : query_order) {
      const JsonField& q = merged_query[name];
      Json schema = q.type == "unknown" ? unknownSchema("query parameter type not derived") : Json{{"type", q.type}};
      parameters.push_back(Json{{"name", name},
                                {"in", "query"},
                                {"required", q.required},
                                {"schema", schema},
                                {"x-seam-source", q.location + " " + q.via}});
    }
    if (!parameters.empty()) op["parameters"] = std::move(parameters);

    bool body_method = r.method == "POST" || r.method == "PUT" || r.method == "PATCH" || r.method == "ANY";
    if (!in.empty()) {
      op["requestBody"] = Json{{"required", true},
                               {"content", Json{{"application/json", Json{{"schema", objectSchemaFromFields(in, false)}}}}}};
      ++counts.request_derived;
    } else if (body_method) {
      op["requestBody"] = Json{
          {"content",
           Json{{"application/json",
                 Json{{"schema", unknownSchema(handler ? "no JSON key read by the handler or the functions its body "
                                                         "flows into was found (it may read none)"
                                                       : "the handler could not be resolved")}}}}}};
      ++counts.request_unknown;
    }

    Json response = responseSchema(handler ? handler->id : 0);
    if (response.contains("x-seam-unknown")) ++counts.response_unknown;
    else ++counts.response_derived;
    op["responses"] = Json{
        {"2XX", Json{{"description", "Success (the exact status code is not derived)"},
                     {"content", Json{{"application/json", Json{{"schema", std::move(response)}}}}}}}};
    ++counts.routes;

    std::vector<std::string> methods;
    if (r.method == "ANY") {
      methods = {"get", "post", "put", "patch", "delete"};
      op["x-seam-any-method"] = true;
    } else {
      methods = {lower(r.method)};
    }
    for (const std::string& m : methods) {
      Json& item = paths_[tpl.path];
      if (item.is_null()) item = Json::object();
      if (item.contains(m)) {
        notes_.push_back(r.method + " " + r.path + " duplicates an earlier route with the same template");
        continue;
      }
      Json copy = op;
      if (methods.size() > 1) copy["operationId"] = uniqueOperationId(op["operationId"].get<std::string>() + camel(m, true));
      item[m] = std::move(copy);
    }
  }

  /// Request keys and query parameters: the handler's own reads, then the
  /// reads of callees the body (a JSON parameter) or the request flows into.
  void collectInputs(int64_t handler, std::vector<JsonField>& in, std::vector<JsonField>& query) {
    walkCalls(f_, handler, kRequestDepth, [&](int64_t id, int depth) {
      bool json = depth == 0 || takesJson(f_, id);
      bool request = depth == 0 || takesRequest(f_, id);
      for (const JsonField& field : fieldsOf(f_, id)) {
        if (field.direction == "in" && json) in.push_back(field);
        if (field.direction == "query" && request) query.push_back(field);
      }
      return json || request;
    });
  }

  /// Objects the handler sends; else objects returned by the JSON-returning
  /// functions it calls (transitively, stopping at the first that builds one).
  Json responseSchema(int64_t handler) {
    if (!handler) return unknownSchema("the handler could not be resolved");
    std::vector<std::pair<std::string, std::vector<JsonField>>> groups;
    auto addGroups = [&](int64_t id, bool returned_only) {
      std::map<std::string, size_t> index;
      size_t before = groups.size();
      for (const JsonField& field : fieldsOf(f_, id)) {
        if (field.direction != "out" || field.via == "local" || (returned_only && field.via != "return")) continue;
        std::string key = std::to_string(id) + "@" + field.object;
        auto [it, inserted] = index.try_emplace(key, groups.size());
        if (inserted) groups.push_back({key, {}});
        groups[it->second].second.push_back(field);
      }
      return groups.size() > before;
    };
    if (!addGroups(handler, false)) {
      walkCalls(f_, handler, kResponseDepth, [&](int64_t id, int depth) {
        if (depth == 0) return true;
        if (!returnsJson(f_, id)) return false;
        return !addGroups(id, true);
      });
    }
    if (groups.empty()) {
      return unknownSchema("no JSON object built by the handler or returned by the functions it calls was found");
    }
    std::vector<Json> schemas;
    for (auto& [key, fields] : groups) {
      bool open = std::any_of(fields.begin(), fields.end(), [](const JsonField& x) { return x.open; });
      schemas.push_back(objectSchemaFromFields(fields, open));
    }
    if (schemas.size() == 1) return schemas[0];
    Json any = Json::array();
    for (Json& s : schemas) any.push_back(std::move(s));
    return Json{{"anyOf", std::move(any)},
                {"description", "One of the objects the handler's code may send (several are built)."}};
  }

  void addInternal(const PlanService::Function& fn, ContractCounts& counts) {
    const Symbol* sym = nullptr;
    if (auto it = f_.by_qualified_name.find(fn.name); it != f_.by_qualified_name.end()) {
      for (int64_t id : it->second) {
        const Symbol& s = f_.symbols.at(id);
        if (s.kind == "function" || s.kind == "method" || s.kind == "constructor") {
          if (!sym || (membersOf(f_, id) && !membersOf(f_, sym->id))) sym = &s;
        }
      }
    }
    std::string stem = sym ? lastComponents(*sym) : fn.name.substr(fn.name.rfind("::") == std::string::npos
                                                                      ? 0
                                                                      : fn.name.rfind("::") + 2);
    std::string path = "/internal/" + s_.name + "/" + stem;
    for (int n = 2; paths_.contains(path); ++n) path = "/internal/" + s_.name + "/" + stem + std::to_string(n);
    Json op{{"operationId", uniqueOperationId("internal" + camel(stem, true))},
            {"summary", "Call " + fn.name + " across the service boundary"},
            {"tags", Json::array({"internal"})},
            {"x-seam-function", fn.name},
            {"x-seam-callers", fn.callers},
            {"x-seam-call-sites", fn.sites}};
    tags_.insert("internal");
    const std::vector<TypeMember>* members = sym ? membersOf(f_, sym->id) : nullptr;
    if (!members) {
      std::string why = sym ? "the signature of " + fn.name + " is not in the fact store"
                            : fn.name + " is not a function in the fact store";
      op["requestBody"] = Json{{"content", Json{{"application/json", Json{{"schema", unknownSchema(why)}}}}}};
      op["responses"] = Json{{"200", Json{{"description", "Result (not derived)"},
                                          {"content", Json{{"application/json", Json{{"schema", unknownSchema(why)}}}}}}}};
      ++counts.request_unknown;
      ++counts.response_unknown;
    } else {
      op["x-seam-location"] = sym->location;
      Json properties = Json::object();
      Json required = Json::array();
      Json context = Json::array();
      bool unknown = false;
      const TypeMember* ret = nullptr;
      for (const TypeMember& m : *members) {
        if (m.kind == "return") ret = &m;
        if (m.kind != "param") continue;
        if (isContextParameter(m)) {
          context.push_back(m.cpp_type + " " + m.name);
          continue;
        }
        std::string name = m.name.empty() ? "arg" + std::to_string(m.position) : m.name;
        Json schema = schemaOfMember(m, f_);
        unknown = unknown || schema.contains("x-seam-unknown");
        properties[name] = std::move(schema);
        if (!m.nullable) required.push_back(name);
      }
      if (!context.empty()) op["x-seam-context-parameters"] = std::move(context);
      if (!properties.empty()) {
        Json body{{"type", "object"}, {"properties", std::move(properties)}};
        if (!required.empty()) body["required"] = std::move(required);
        op["requestBody"] = Json{{"required", true}, {"content", Json{{"application/json", Json{{"schema", body}}}}}};
      }
      if (unknown) ++counts.request_unknown;
      else ++counts.request_derived;
      if (!ret || ret->json_type == "void") {
        op["responses"] = Json{{"204", Json{{"description", "Done (the function returns void)"}}}};
        ++counts.response_derived;
      } else {
        Json schema = schemaOfMember(*ret, f_);
        if (schema.contains("x-seam-unknown")) ++counts.response_unknown;
        else ++counts.response_derived;
        op["responses"] = Json{{"200", Json{{"description", "The function's result (" + ret->cpp_type + ")"},
                                            {"content", Json{{"application/json", Json{{"schema", schema}}}}}}}};
      }
    }
    ++counts.internal;
    paths_[path] = Json{{"post", std::move(op)}};
  }

  /// The payload of an event: the callee's parameters; a JSON parameter is
  /// one of the objects the producers build for it at their call sites.
  Json payloadOf(const EventFact& e, bool* derived) {
    *derived = false;
    const Symbol* sym = nullptr;
    if (auto it = f_.by_qualified_name.find(e.callee); it != f_.by_qualified_name.end() && !it->second.empty())
      sym = &f_.symbols.at(it->second.front());
    const std::vector<TypeMember>* members = sym ? membersOf(f_, sym->id) : nullptr;
    if (!members) return unknownSchema("the signature of " + e.callee + " is not in the fact store");
    std::vector<Json> built;
    std::map<std::string, std::vector<JsonField>> groups;
    for (const auto& [id, fields] : f_.json_fields) {
      for (const JsonField& field : fields) {
        if (field.direction == "out" && field.via == e.callee) {
          groups[std::to_string(id) + "@" + field.object].push_back(field);
        }
      }
    }
    for (auto& [key, fields] : groups) built.push_back(objectSchemaFromFields(fields, false));
    Json properties = Json::object();
    Json required = Json::array();
    bool unknown = false;
    for (const TypeMember& m : *members) {
      if (m.kind != "param" || isContextParameter(m)) continue;
      std::string name = m.name.empty() ? "arg" + std::to_string(m.position) : m.name;
      Json schema;
      if (m.json_type == "json" && !built.empty()) {
        if (built.size() == 1) {
          schema = built[0];
        } else {
          Json any = Json::array();
          for (const Json& b : built) any.push_back(b);
          schema = Json{{"anyOf", std::move(any)}};
        }
        schema["x-seam-cpp-type"] = m.cpp_type;
      } else {
        schema = schemaOfMember(m, f_);
      }
      unknown = unknown || schema.contains("x-seam-unknown");
      properties[name] = std::move(schema);
      if (!m.nullable) required.push_back(name);
    }
    *derived = !unknown;
    Json payload{{"type", "object"}, {"properties", std::move(properties)}};
    if (!required.empty()) payload["required"] = std::move(required);
    return payload;
  }

  Json asyncApi(const std::vector<EventFact>& events, ContractCounts& counts) {
    Json channels = Json::object();
    Json operations = Json::object();
    Json messages = Json::object();
    for (const EventFact& e : events) {
      bool receives = e.receiver == s_.name;
      bool sends = std::find(e.producers.begin(), e.producers.end(), s_.name) != e.producers.end();
      if (!receives && !sends) continue;
      bool derived = false;
      Json payload = payloadOf(e, &derived);
      if (derived) ++counts.payloads_derived;
      messages[e.name] = Json{{"name", e.name},
                              {"title", e.name},
                              {"summary", "Raised where the code calls " + e.callee + " today (fire-and-forget)."},
                              {"contentType", "application/json"},
                              {"payload", std::move(payload)}};
      channels[e.name] = Json{
          {"address", e.name},
          {"description", "Published through a transactional outbox by " + joined(e.producers) + "; handled by " +
                              (e.receiver.empty() ? std::string("(unknown)") : e.receiver) + "."},
          {"messages", Json{{e.name, Json{{"$ref", "#/components/messages/" + e.name}}}}}};
      auto addOperation = [&](const char* action) {
        operations[std::string(action) + e.name] =
            Json{{"action", action},
                 {"channel", Json{{"$ref", "#/channels/" + e.name}}},
                 {"messages", Json::array({Json{{"$ref", "#/channels/" + e.name + "/messages/" + e.name}}})}};
      };
      if (sends) {
        addOperation("send");
        ++counts.events_sent;
      }
      if (receives) {
        addOperation("receive");
        ++counts.events_received;
      }
    }
    if (channels.empty()) return nullptr;
    return Json{{"asyncapi", "3.0.0"},
                {"info", Json{{"title", s_.name + " service events"},
                              {"version", "0.1.0"},
                              {"description", "Events of proposed service '" + s_.name +
                                                  "': notifications (fire-and-forget calls across a boundary) "
                                                  "become events published through an outbox. Generated by `seam "
                                                  "contracts` (docs/contracts.md)."}}},
                {"defaultContentType", "application/json"},
                {"channels", std::move(channels)},
                {"operations", std::move(operations)},
                {"components", Json{{"messages", std::move(messages)}}}};
  }

  const Facts& f_;
  const PlanService& s_;
  Json paths_ = Json::object();
  std::set<std::string> operation_ids_;
  std::set<std::string> tags_;
  std::vector<std::string> notes_;
};

}  // namespace

Expected<std::vector<ServiceContract>> buildContracts(const Facts& facts, const Plan& plan,
                                                      const std::vector<EventFact>& events) {
  if (plan.services.empty()) return badInput("the plan has no services");
  std::set<std::string> modules;
  for (const auto& [id, s] : facts.symbols) modules.insert(s.module);
  for (const Route& r : facts.routes) modules.insert(r.module);
  std::vector<ServiceContract> out;
  std::set<std::string> stems;
  for (const PlanService& service : plan.services) {
    bool found = std::any_of(service.modules.begin(), service.modules.end(),
                             [&](const std::string& m) { return modules.count(m) > 0; });
    if (!found) {
      return badInput("the plan does not match the fact store: none of service '" + service.name +
                      "''s modules (" + (service.modules.empty() ? std::string("none") : service.modules.front()) +
                      (service.modules.size() > 1 ? ", ..." : "") + ") is in the store");
    }
    if (!stems.insert(fileStem(service.name)).second) {
      return badInput("two services of the plan map to the same file name '" + fileStem(service.name) + "'");
    }
    out.push_back(ServiceBuilder(facts, service).build(events));
  }
  return out;
}

std::string fileStem(const std::string& service) {
  std::string out;
  for (char c : service) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    out += ok ? c : '-';
  }
  if (out.empty() || out[0] == '.') out = "service" + out;
  return out;
}

}  // namespace seam::contracts
