// ReportModel -> one self-contained HTML page.
//
// Security model: the only untrusted bytes on the page are (1) the JSON data,
// placed in <script type="application/json"> (never executed) after
// escapeJsonForScript, so it cannot close its element, and (2) the title,
// through escapeHtml. The page's code (report.js) renders data with
// textContent only. The CSP allows exactly the inline scripts and styles below
// by hash, so an injected element could not run even if one slipped through.
#include <string_view>
#include <vector>

#include "seam/reports/csp.h"
#include "seam/reports/escape.h"
#include "seam/reports/writers.h"

namespace seam::reports {
namespace assets {
// Generated at build time from reports/web (reports/cmake/embed_assets.cmake).
extern const std::string_view cytoscape_js;
extern const std::string_view layout_base_js;
extern const std::string_view cose_base_js;
extern const std::string_view fcose_js;
extern const std::string_view report_js;
extern const std::string_view report_css;
}  // namespace assets

namespace {

// cytoscape.js inserts this <style> element when it initialises its renderer
// (BRp.init in cytoscape 3.x); allowing its hash keeps the policy strict and
// the console free of violations. A new cytoscape version that changes the
// text only loses `position: relative`, which report.css sets anyway.
constexpr std::string_view kCytoscapeInjectedStyle = ".__________cytoscape_container { position: relative; }";

// The page skeleton; report.js fills the sections. Static text only.
constexpr std::string_view kBody = R"html(<header class="top">
<h1 id="title"></h1>
<nav id="tabs" aria-label="Report sections">
<button data-tab="overview" class="active">Overview</button>
<button data-tab="graph">Coupling graph</button>
<button data-tab="tables">Tables</button>
<button data-tab="services">Services</button>
<button data-tab="smells">Smells</button>
<button data-tab="plan">Plan</button>
<button data-tab="interactions">Interactions</button>
<button data-tab="migration">Migration</button>
</nav>
</header>
<main>
<section id="tab-overview" class="tab active"></section>
<section id="tab-graph" class="tab">
<div class="graph-toolbar">
<input id="search" type="search" placeholder="Search modules, symbols, tables, routes" autocomplete="off">
<span id="search-result" class="muted"></span>
<button id="view-toggle" type="button"></button>
<button id="fit" type="button">Fit</button>
<span id="graph-status" class="muted"></span>
</div>
<div class="graph-body">
<div id="cy" role="img" aria-label="Coupling graph"></div>
<aside id="details" aria-live="polite"></aside>
</div>
</section>
<section id="tab-tables" class="tab"></section>
<section id="tab-services" class="tab"></section>
<section id="tab-smells" class="tab"></section>
<section id="tab-plan" class="tab"></section>
<section id="tab-interactions" class="tab"></section>
<section id="tab-migration" class="tab"></section>
</main>
<noscript><p>This report needs JavaScript to draw; its data is in the element #seam-data.</p></noscript>
)html";

}  // namespace

std::string toHtml(const ReportModel& model, const HtmlOptions& options) {
  nlohmann::json data = toJson(model);
  data["view"] = {{"title", options.title}, {"collapse_threshold", options.collapse_threshold}};
  // Invalid UTF-8 from the analysed code becomes U+FFFD instead of throwing.
  std::string json = escapeJsonForScript(data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));

  const std::vector<std::string_view> scripts = {assets::layout_base_js, assets::cose_base_js, assets::cytoscape_js,
                                                 assets::fcose_js, assets::report_js};
  std::vector<std::string> script_hashes, style_hashes;
  for (auto s : scripts) script_hashes.push_back(cspHashSource(s));
  style_hashes.push_back(cspHashSource(assets::report_css));
  style_hashes.push_back(cspHashSource(kCytoscapeInjectedStyle));

  std::string out;
  out.reserve(json.size() + 1200000);
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta http-equiv=\"Content-Security-Policy\" content=\"" +
         escapeHtml(contentSecurityPolicy(script_hashes, style_hashes)) + "\">\n";
  out += "<meta name=\"referrer\" content=\"no-referrer\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + escapeHtml(options.title) + "</title>\n";
  out += "<style>";
  out += assets::report_css;
  out += "</style>\n</head>\n<body>\n";
  out += kBody;
  out += "<script type=\"application/json\" id=\"seam-data\">";
  out += json;
  out += "</script>\n";
  for (auto s : scripts) {
    out += "<script>";
    out += s;
    out += "</script>\n";
  }
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace seam::reports
