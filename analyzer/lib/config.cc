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
      if (auto err = checkKeys(sql, {"sinks"}, "sql")) return err;
      for (const auto& s : sql["sinks"]) {
        if (auto err = checkKeys(s, {"callee", "arg"}, "sql.sinks")) return err;
        if (!s["callee"]) return configError("sql.sinks entries need a callee");
        SinkSpec spec;
        spec.qualified_name = s["callee"].as<std::string>();
        spec.arg_index = s["arg"] ? s["arg"].as<unsigned>() : 0;
        config.sql_sinks.push_back(std::move(spec));
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
