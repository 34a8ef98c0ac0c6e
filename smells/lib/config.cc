// seam.yaml `smells:` section -> Config.
#include "seam/smells/config.h"

#include <yaml-cpp/yaml.h>

#include <functional>
#include <map>

namespace seam::smells {

Expected<Config> loadConfig(const std::string& path) {
  Config c;
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    return badInput(path + ": cannot read file");
  } catch (const YAML::Exception& e) {
    return badInput(path + ":" + std::to_string(e.mark.line + 1) + ": invalid YAML: " + e.msg);
  }
  if (!root.IsMap() || !root["smells"]) return c;
  const YAML::Node section = root["smells"];
  if (!section.IsMap()) return badInput(path + ": `smells:` must be a map of settings");

  using Setter = std::function<void(const YAML::Node&)>;
  auto integer = [](int& field) -> Setter { return [&field](const YAML::Node& n) { field = n.as<int>(); }; };
  auto real = [](double& field) -> Setter { return [&field](const YAML::Node& n) { field = n.as<double>(); }; };
  auto list = [](std::vector<std::string>& field) -> Setter {
    return [&field](const YAML::Node& n) { field = n.as<std::vector<std::string>>(); };
  };
  const std::map<std::string, Setter> setters = {
      {"shared_read_min_services", integer(c.shared_read_min_services)},
      {"hub_factor", real(c.hub_factor)},
      {"hub_min_degree", integer(c.hub_min_degree)},
      {"hub_min_services", integer(c.hub_min_services)},
      {"lockstep_min_shared", integer(c.lockstep_min_shared)},
      {"lockstep_min_degree", real(c.lockstep_min_degree)},
      {"lockstep_max_files", integer(c.lockstep_max_files)},
      {"lockstep_max_commits", integer(c.lockstep_max_commits)},
      {"chain_min_services", integer(c.chain_min_services)},
      {"chatty_min_calls", integer(c.chatty_min_calls)},
      {"shared_library_min_services", integer(c.shared_library_min_services)},
      {"utility_modules", list(c.utility_modules)},
      {"handler_layer_names", list(c.handler_layer_names)},
      {"data_layer_names", list(c.data_layer_names)},
      {"layer_data_fraction", real(c.layer_data_fraction)},
      {"layer_min_functions", integer(c.layer_min_functions)},
      {"disabled_rules", list(c.disabled_rules)},
  };
  for (const auto& kv : section) {
    std::string key = kv.first.as<std::string>();
    auto it = setters.find(key);
    if (it == setters.end()) return badInput(path + ": smells." + key + ": unknown setting (see docs/smells.md)");
    try {
      it->second(kv.second);
    } catch (const YAML::Exception& e) {
      return badInput(path + ":" + std::to_string(kv.second.Mark().line + 1) + ": smells." + key +
                      ": wrong type (" + e.msg + ")");
    }
  }
  if (c.hub_factor <= 0 || c.lockstep_min_degree < 0 || c.lockstep_min_degree > 1 || c.layer_data_fraction < 0 ||
      c.layer_data_fraction > 1 || c.lockstep_max_commits <= 0 || c.lockstep_max_files <= 0) {
    return badInput(path + ": smells: a threshold is out of range (factors > 0, fractions in [0, 1], limits > 0)");
  }
  return c;
}

}  // namespace seam::smells
