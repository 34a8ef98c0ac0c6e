#include "seam/analyzer/config.h"

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

namespace seam::analyzer {
namespace {

llvm::Error configError(const std::string& message) {
  return llvm::createStringError(std::errc::invalid_argument, "seam.yaml: %s", message.c_str());
}

llvm::Error checkKeys(const YAML::Node& node, const std::set<std::string>& allowed,
                      const std::string& where) {
  if (!node.IsMap()) return configError(where + " must be a mapping");
  for (const auto& kv : node) {
    std::string key = kv.first.as<std::string>();
    if (!allowed.count(key)) return configError("unknown key '" + key + "' in " + where);
  }
  return llvm::Error::success();
}

llvm::Error checkRegex(const std::string& re, const std::string& where) {
  try {
    std::regex compiled(re);
  } catch (const std::regex_error& e) {
    return configError("invalid regex '" + re + "' in " + where + ": " + e.what());
  }
  return llvm::Error::success();
}

llvm::Expected<SqlBuilderSpec> parseBuilder(const YAML::Node& b) {
  if (auto err = checkKeys(b, {"class", "constructor", "methods", "render"}, "sql.builders")) {
    return std::move(err);
  }
  if (!b["class"] || !b["render"]) return configError("sql.builders entries need a class and a render map");
  SqlBuilderSpec spec;
  spec.class_name = b["class"].as<std::string>();
  auto clause = [&](const YAML::Node& n) -> llvm::Expected<SqlClause> {
    std::string name = n.as<std::string>();
    if (auto c = parseSqlClause(name)) return *c;
    return configError("unknown clause '" + name + "' in sql.builders (" + spec.class_name +
                       "): columns, from, join, where, group_by, having, order_by, limit, offset");
  };
  for (const auto& c : b["constructor"]) {
    auto parsed = clause(c);
    if (!parsed) return parsed.takeError();
    spec.constructor.push_back(*parsed);
  }
  for (const auto& m : b["methods"]) {
    auto parsed = clause(m.second);
    if (!parsed) return parsed.takeError();
    spec.methods[m.first.as<std::string>()] = *parsed;
  }
  for (const auto& r : b["render"]) {
    std::string kind = r.second.as<std::string>();
    auto parsed = parseSqlRender(kind);
    if (!parsed) return configError("unknown render '" + kind + "' in sql.builders: select or count");
    spec.render[r.first.as<std::string>()] = *parsed;
  }
  if (spec.render.empty()) return configError("sql.builders (" + spec.class_name + ") needs a render method");
  return spec;
}

}  // namespace

llvm::Expected<AnalyzerConfig> parseConfig(const std::string& text) {
  AnalyzerConfig config;
  try {
    YAML::Node root = YAML::Load(text);
    if (root.IsNull()) return config;
    if (auto err = checkKeys(root, {"modules", "exclude", "routes", "sql", "transactions"}, "the top level"))
      return err;
    if (YAML::Node m = root["modules"]) {
      if (auto err = checkKeys(m, {"strategy", "depth", "roots", "namespace_depth", "rules"}, "modules"))
        return err;
      if (m["strategy"]) {
        std::string s = m["strategy"].as<std::string>();
        if (s == "directory") config.strategy = AnalyzerConfig::Strategy::kDirectory;
        else if (s == "namespace") config.strategy = AnalyzerConfig::Strategy::kNamespace;
        else return configError("modules.strategy must be 'directory' or 'namespace', not '" + s + "'");
      }
      if (m["depth"]) config.depth = m["depth"].as<unsigned>();
      if (m["namespace_depth"]) config.namespace_depth = m["namespace_depth"].as<unsigned>();
      if (m["roots"]) {
        for (const auto& r : m["roots"]) {
          std::string root = r.as<std::string>();
          while (!root.empty() && root.back() == '/') root.pop_back();
          config.roots.push_back(root);
        }
      }
      if (m["rules"]) {
        for (const auto& r : m["rules"]) {
          if (auto err = checkKeys(r, {"match", "module"}, "modules.rules")) return err;
          if (!r["match"] || !r["module"]) return configError("modules.rules entries need match and module");
          ModuleRule rule{r["match"].as<std::string>(), r["module"].as<std::string>()};
          if (auto err = checkRegex(rule.match, "modules.rules")) return err;
          config.rules.push_back(std::move(rule));
        }
      }
    }
    if (YAML::Node ex = root["exclude"]) {
      for (const auto& e : ex) {
        std::string re = e.as<std::string>();
        if (auto err = checkRegex(re, "exclude")) return err;
        config.exclude.push_back(std::move(re));
      }
    }
    if (YAML::Node routes = root["routes"]) {
      for (const auto& r : routes) {
        if (auto err = checkKeys(r, {"callee", "method", "method_arg", "path_arg", "handler_arg"}, "routes"))
          return err;
        if (!r["callee"]) return configError("routes entries need a callee");
        RouteRule rule;
        rule.callee = r["callee"].as<std::string>();
        if (r["method"]) rule.method = r["method"].as<std::string>();
        if (r["method_arg"]) rule.method_arg = r["method_arg"].as<unsigned>();
        if (r["path_arg"]) rule.path_arg = r["path_arg"].as<unsigned>();
        if (r["handler_arg"]) rule.handler_arg = r["handler_arg"].as<unsigned>();
        if (rule.method.empty() && !rule.method_arg) rule.method = "ANY";
        config.routes.push_back(std::move(rule));
      }
    }
    if (YAML::Node sql = root["sql"]) {
      if (auto err = checkKeys(sql, {"sinks", "builders"}, "sql")) return err;
      for (const auto& s : sql["sinks"]) {
        if (auto err = checkKeys(s, {"callee", "arg"}, "sql.sinks")) return err;
        if (!s["callee"]) return configError("sql.sinks entries need a callee");
        SinkSpec spec;
        spec.qualified_name = s["callee"].as<std::string>();
        spec.arg_index = s["arg"] ? s["arg"].as<unsigned>() : 0;
        config.sql_sinks.push_back(std::move(spec));
      }
      for (const auto& b : sql["builders"]) {
        auto spec = parseBuilder(b);
        if (!spec) return spec.takeError();
        config.sql_builders.push_back(std::move(*spec));
      }
    }
    if (YAML::Node tx = root["transactions"]) {
      if (auto err = checkKeys(tx, {"guards", "begin", "commit", "rollback"}, "transactions")) return err;
      for (auto [key, list] : {std::pair{"guards", &config.transactions.guards},
                               {"begin", &config.transactions.begin},
                               {"commit", &config.transactions.commit},
                               {"rollback", &config.transactions.rollback}}) {
        if (!tx[key]) continue;
        if (!tx[key].IsSequence()) return configError(std::string("transactions.") + key + " must be a list");
        for (const auto& n : tx[key]) list->push_back(n.as<std::string>());
      }
    }
  } catch (const YAML::Exception& e) {
    return configError(e.what());
  }
  return config;
}

llvm::Expected<AnalyzerConfig> loadConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return llvm::createStringError(std::errc::invalid_argument, "cannot read config %s", path.c_str());
  std::stringstream ss;
  ss << in.rdbuf();
  return parseConfig(ss.str());
}

}  // namespace seam::analyzer
