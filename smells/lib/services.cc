// services.yaml / plan.json loading and resolution of entries to files.
#include "seam/smells/services.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "path_util.h"

namespace seam::smells {
namespace {

constexpr const char* kUnassignedName = "unassigned";

std::string normaliseEntry(std::string e) {
  while (e.size() > 1 && e.back() == '/') e.pop_back();
  while (e.rfind("./", 0) == 0) e.erase(0, 2);
  return e;
}

bool isNamespaceName(std::string_view s) { return s.find("::") != std::string_view::npos; }

// Does entry `e` name file `path` (the file itself or one of its directories)?
bool entryCoversPath(std::string_view e, std::string_view path) {
  if (isNamespaceName(e)) return false;
  std::string_view p = path;
  while (!p.empty()) {
    if (pathSuffixMatch(e, p)) return true;
    size_t slash = p.rfind('/');
    if (slash == std::string_view::npos) break;
    p = p.substr(0, slash);
  }
  return false;
}

bool entryCoversModule(std::string_view e, std::string_view module_name) {
  if (e == module_name) return true;
  if (isNamespaceName(e) || isNamespaceName(module_name)) return false;
  return pathSuffixMatch(e, module_name);
}

Expected<std::vector<std::string>> stringList(const YAML::Node& node, const std::string& where) {
  std::vector<std::string> out;
  if (node.IsScalar()) {
    out.push_back(node.as<std::string>());
    return out;
  }
  if (!node.IsSequence()) return badInput(where + ": expected a list of module names or paths");
  for (const auto& item : node) {
    if (!item.IsScalar()) return badInput(where + ": list items must be strings");
    out.push_back(item.as<std::string>());
  }
  return out;
}

}  // namespace

bool pathSuffixMatch(std::string_view a, std::string_view b) {
  std::vector<std::string_view> ca = pathComponents(a), cb = pathComponents(b);
  if (ca.empty() || cb.empty()) return false;
  if (ca.size() > cb.size()) std::swap(ca, cb);
  return std::equal(ca.rbegin(), ca.rend(), cb.rbegin());
}

Expected<ServiceSpec> loadServicesYaml(const std::string& path) {
  ServiceSpec spec;
  spec.origin = path;
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    return badInput(path + ": cannot read file");
  } catch (const YAML::Exception& e) {
    return badInput(path + ":" + std::to_string(e.mark.line + 1) + ": invalid YAML: " + e.msg);
  }
  try {
    YAML::Node services = root.IsMap() ? root["services"] : YAML::Node();
    if (!services || !services.IsMap() || services.size() == 0) {
      return badInput(path + ": expected a non-empty `services:` map of service name to modules/paths");
    }
    for (const auto& kv : services) {
      ServiceDecl decl;
      decl.name = kv.first.as<std::string>();
      std::string where = path + ": service '" + decl.name + "'";
      const YAML::Node& v = kv.second;
      if (v.IsMap()) {
        for (const auto& field : v) {
          std::string key = field.first.as<std::string>();
          auto list = stringList(field.second, where + "." + key);
          if (!list) return list.error();
          if (key == "paths" || key == "modules") {
            decl.entries.insert(decl.entries.end(), list->begin(), list->end());
          } else if (key == "tables") {
            decl.owned_tables = *list;
          } else {
            return badInput(where + ": unknown key '" + key + "' (expected paths, modules, tables)");
          }
        }
      } else {
        auto list = stringList(v, where);
        if (!list) return list.error();
        decl.entries = *list;
      }
      if (decl.entries.empty()) return badInput(where + ": declares no modules or paths");
      spec.services.push_back(std::move(decl));
    }
  } catch (const YAML::Exception& e) {
    return badInput(path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  return spec;
}

Expected<ServiceSpec> loadPlanJson(const std::string& path) {
  std::ifstream in(path);
  if (!in) return badInput(path + ": cannot read file");
  nlohmann::json plan = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (plan.is_discarded()) return badInput(path + ": not valid JSON");
  if (!plan.is_object() || !plan.contains("services") || !plan["services"].is_array()) {
    return badInput(path + ": not a plan (expected a `services` array; see docs/plan-format.md)");
  }
  if (plan.contains("format") && plan["format"] != "seam-plan") {
    return badInput(path + ": not a seam plan (format is not \"seam-plan\")");
  }
  if (plan.contains("version") && (!plan["version"].is_number_integer() || plan["version"].get<int>() != 1)) {
    return badInput(path + ": plan version " + plan["version"].dump() + " is not supported (this seam reads version 1)");
  }
  // At file or class granularity a module may be split between services:
  // then the services' files, not their modules, say what they cover.
  bool by_files = false;
  if (plan.contains("input") && plan["input"].is_object() && plan["input"].contains("granularity")) {
    by_files = plan["input"]["granularity"] != "module";
  }
  ServiceSpec spec;
  spec.origin = path;
  // Accepts module entries as strings or {"name": ...}; owned tables under
  // "tables" or "owned_tables", as strings or {"name": ...}.
  auto names = [](const nlohmann::json& list, std::vector<std::string>& out) {
    if (!list.is_array()) return false;
    for (const auto& item : list) {
      if (item.is_string()) {
        out.push_back(item.get<std::string>());
      } else if (item.is_object() && item.contains("name") && item["name"].is_string()) {
        out.push_back(item["name"].get<std::string>());
      } else {
        return false;
      }
    }
    return true;
  };
  size_t index = 0;
  for (const auto& svc : plan["services"]) {
    std::string where = path + ": services[" + std::to_string(index++) + "]";
    if (!svc.is_object() || !svc.contains("name") || !svc["name"].is_string()) {
      return badInput(where + ": expected an object with a string `name`");
    }
    ServiceDecl decl;
    decl.name = svc["name"].get<std::string>();
    where += " ('" + decl.name + "')";
    if (by_files && svc.contains("files") && svc["files"].is_array() && !svc["files"].empty()) {
      if (!names(svc["files"], decl.entries)) return badInput(where + ": `files` must be a list of paths");
    } else if (!svc.contains("modules") || !names(svc["modules"], decl.entries)) {
      return badInput(where + ": expected a `modules` list");
    } else {
      decl.modules_only = true;
    }
    for (const char* key : {"tables", "owned_tables"}) {
      if (svc.contains(key) && !names(svc[key], decl.owned_tables)) {
        return badInput(where + ": `" + key + "` must be a list of table names");
      }
    }
    if (decl.entries.empty()) continue;  // an empty service owns nothing; nothing to check
    spec.services.push_back(std::move(decl));
  }
  if (spec.services.empty()) return badInput(path + ": the plan has no services with modules");
  return spec;
}

const std::string& Assignment::name(int service) const {
  static const std::string unassigned = kUnassignedName;
  if (service < 0 || service >= size()) return unassigned;
  return names_[service];
}

int Assignment::find(std::string_view name) const {
  for (int i = 0; i < size(); ++i)
    if (names_[i] == name) return i;
  return -1;
}

int Assignment::serviceOfFile(int64_t file_id) const {
  auto it = file_service_.find(file_id);
  return it == file_service_.end() ? kUnassigned : it->second;
}
int Assignment::serviceOfSymbol(int64_t symbol_id) const {
  auto it = symbol_service_.find(symbol_id);
  return it == symbol_service_.end() ? kUnassigned : it->second;
}
int Assignment::serviceOfModule(int64_t module_id) const {
  auto it = module_service_.find(module_id);
  return it == module_service_.end() ? kUnassigned : it->second;
}

int Assignment::serviceOfPath(std::string_view path) const {
  std::string_view p = path;
  while (!p.empty()) {
    auto it = path_suffix_service_.find(std::string(p));
    if (it != path_suffix_service_.end() && it->second != -2) return it->second;
    size_t slash = p.find('/');
    if (slash == std::string_view::npos) break;
    p = p.substr(slash + 1);
  }
  int found = kUnassigned;
  for (int s = 0; s < size(); ++s) {
    for (const auto& e : path_entries_[s]) {
      if (!entryCoversPath(e, path)) continue;
      if (found != kUnassigned && found != s) return kUnassigned;  // ambiguous
      found = s;
    }
  }
  return found;
}

Expected<Assignment> Assignment::resolve(const ServiceSpec& spec, const Facts& facts) {
  Assignment a;
  const std::string& origin = spec.origin;
  std::set<std::string> seen;
  for (const auto& s : spec.services) {
    if (s.name.empty()) return badInput(origin + ": a service has an empty name");
    if (s.name == kUnassignedName) return badInput(origin + ": '" + s.name + "' is reserved for code no service covers");
    if (!seen.insert(s.name).second) return badInput(origin + ": service '" + s.name + "' is declared twice");
    a.names_.push_back(s.name);
    a.path_entries_.emplace_back();
  }

  // Claims: which services (and through which entry) cover each module and file.
  std::map<int64_t, std::map<int, std::string>> module_claims, file_claims;
  for (int si = 0; si < a.size(); ++si) {
    for (const auto& raw : spec.services[si].entries) {
      std::string e = normaliseEntry(raw);
      bool matched = false;
      for (const auto& m : facts.modules) {
        if (m.external || !entryCoversModule(e, m.name)) continue;
        module_claims[m.id].emplace(si, e);
        matched = true;
      }
      const bool modules_only = spec.services[si].modules_only;
      for (const auto& f : facts.files) {
        if (modules_only) break;
        const Module* m = facts.module(f.module_id);
        if ((m && m->external) || !entryCoversPath(e, f.path)) continue;
        file_claims[f.id].emplace(si, e);
        matched = true;
      }
      if (!matched) {
        return badInput(origin + ": service '" + a.names_[si] + "': '" + raw + "' matches no " +
                        (modules_only ? "module" : "module or file") + " in the fact store");
      }
      if (!isNamespaceName(e) && !modules_only) a.path_entries_[si].push_back(e);
    }
  }

  for (const auto& f : facts.files) {
    std::map<int, std::string> claims;
    if (auto it = file_claims.find(f.id); it != file_claims.end()) claims = it->second;
    if (auto it = module_claims.find(f.module_id); it != module_claims.end()) claims.insert(it->second.begin(), it->second.end());
    if (claims.size() > 1) {
      auto first = claims.begin(), second = std::next(first);
      return badInput(origin + ": services '" + a.names_[first->first] + "' ('" + first->second + "') and '" +
                      a.names_[second->first] + "' ('" + second->second + "') overlap: both cover " + f.path);
    }
    if (claims.size() == 1) a.file_service_[f.id] = claims.begin()->first;
  }

  // Modules: the service that claims them or covers all of their files.
  std::map<int64_t, std::set<int>> module_services;
  std::map<int64_t, bool> module_has_unassigned_file;
  for (const auto& f : facts.files) {
    int s = a.serviceOfFile(f.id);
    if (s == kUnassigned) {
      module_has_unassigned_file[f.module_id] = true;
    } else {
      module_services[f.module_id].insert(s);
    }
  }
  for (const auto& [mid, claims] : module_claims) {
    if (claims.size() > 1) {
      auto first = claims.begin(), second = std::next(first);
      const Module* m = facts.module(mid);
      return badInput(origin + ": services '" + a.names_[first->first] + "' and '" + a.names_[second->first] +
                      "' overlap: both cover module " + (m ? m->name : std::to_string(mid)));
    }
    module_services[mid].insert(claims.begin()->first);
    module_has_unassigned_file[mid] = false;
  }
  a.modules_of_.resize(a.size());
  for (const auto& m : facts.modules) {
    if (m.external) continue;
    const auto& svcs = module_services[m.id];
    for (int s : svcs) a.modules_of_[s].push_back(m.id);
    if (svcs.size() == 1 && !module_has_unassigned_file[m.id]) a.module_service_[m.id] = *svcs.begin();
    if (svcs.empty() || module_has_unassigned_file[m.id]) a.unassigned_modules_.push_back(m.id);
  }

  for (const auto& sym : facts.symbols) {
    int s = sym.file_id ? a.serviceOfFile(sym.file_id) : kUnassigned;
    if (s == kUnassigned) s = a.serviceOfModule(sym.module_id);
    if (s != kUnassigned) a.symbol_service_[sym.id] = s;
  }

  for (const auto& f : facts.files) {
    int s = a.serviceOfFile(f.id);
    std::string_view p = f.path;
    while (!p.empty()) {
      auto [it, inserted] = a.path_suffix_service_.emplace(std::string(p), s);
      if (!inserted && it->second != s) it->second = -2;
      size_t slash = p.find('/');
      if (slash == std::string_view::npos) break;
      p = p.substr(slash + 1);
    }
  }

  for (int si = 0; si < a.size(); ++si) {
    for (const auto& t : spec.services[si].owned_tables) {
      std::string table = toLower(t);
      auto [it, inserted] = a.declared_owners_.emplace(table, si);
      if (!inserted && it->second != si) {
        return badInput(origin + ": table '" + table + "' is owned by both '" + a.names_[it->second] + "' and '" +
                        a.names_[si] + "'");
      }
    }
  }
  return a;
}

}  // namespace seam::smells
