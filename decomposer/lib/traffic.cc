#include "seam/decomposer/traffic.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <sstream>

#include "seam/decomposer/inputs.h"

namespace seam::decomposer {
namespace {

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

Expected<std::vector<RouteCount>> parseTraffic(const std::string& text, const std::string& source) {
  std::vector<RouteCount> out;
  std::istringstream in(text);
  std::string line;
  size_t lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    std::string where = source + ":" + std::to_string(lineno);
    RouteCount rc;
    if (line[first] == '{') {
      nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.is_object()) return badInput(where + ": not a JSON object");
      if (j.contains("route") && j["route"].is_string()) {
        std::istringstream r(j["route"].get<std::string>());
        r >> rc.method >> rc.path;
      } else if (j.contains("path") && j["path"].is_string()) {
        rc.path = j["path"].get<std::string>();
        rc.method = j.contains("method") && j["method"].is_string() ? j["method"].get<std::string>() : "ANY";
      } else {
        return badInput(where + ": needs \"route\" or \"path\"");
      }
      if (!j.contains("count") || !j["count"].is_number_integer() || j["count"].get<int64_t>() < 0) {
        return badInput(where + ": needs a non-negative integer \"count\"");
      }
      rc.count = j["count"].get<int64_t>();
    } else {
      std::istringstream f(line);
      std::string count;
      if (!(f >> rc.method >> rc.path >> count)) return badInput(where + ": expected 'METHOD PATH COUNT'");
      try {
        size_t used = 0;
        rc.count = std::stoll(count, &used);
        if (used != count.size() || rc.count < 0) throw std::invalid_argument("count");
      } catch (const std::exception&) {
        return badInput(where + ": count '" + count + "' is not a non-negative integer");
      }
    }
    if (rc.path.empty()) return badInput(where + ": empty path");
    rc.method = upper(rc.method.empty() ? "ANY" : rc.method);
    out.push_back(std::move(rc));
  }
  return out;
}

TrafficResult applyTraffic(CouplingGraph& g, const Facts& facts, const std::vector<RouteCount>& counts, double weight) {
  TrafficResult result;
  size_t edges = boost::num_edges(g.graph);
  double mean_w = edges > 0 ? g.totalWeight() / static_cast<double>(edges) : 1.0;
  std::vector<int64_t> per_route(facts.routes.size(), 0);
  int64_t total = 0;
  for (const RouteCount& rc : counts) {
    bool matched = false;
    for (size_t r = 0; r < facts.routes.size(); ++r) {
      const FactRoute& route = facts.routes[r];
      if (route.path != rc.path) continue;
      if (rc.method != "ANY" && upper(route.method) != "ANY" && upper(route.method) != rc.method) continue;
      per_route[r] += rc.count;
      matched = true;
    }
    if (matched) total += rc.count;
    else result.unmatched_records++;
  }
  for (size_t r = 0; r < facts.routes.size() && r < g.route_reach.size(); ++r) {
    if (per_route[r] == 0 || total == 0) continue;
    result.matched_routes++;
    auto h = g.symbol_node.find(facts.routes[r].handler_id);
    if (h == g.symbol_node.end()) continue;
    double w = weight * static_cast<double>(per_route[r]) / static_cast<double>(total) * mean_w;
    if (!(w > 0)) continue;
    for (size_t u : g.route_reach[r]) {
      if (u != h->second) g.addWeight(h->second, u, {w, w, 0, 0});
    }
  }
  result.summary = std::to_string(result.matched_routes) + " route(s) weighted by traffic" +
                   (result.unmatched_records ? ", " + std::to_string(result.unmatched_records) + " record(s) matched no route"
                                             : "");
  return result;
}

Expected<TrafficResult> addTrafficWeights(CouplingGraph& g, const Facts& facts, const std::string& path, double weight) {
  Expected<std::string> text = readTextFile(path);
  if (!text) return text.error();
  Expected<std::vector<RouteCount>> counts = parseTraffic(*text, path);
  if (!counts) return counts.error();
  return applyTraffic(g, facts, *counts, weight);
}

}  // namespace seam::decomposer
