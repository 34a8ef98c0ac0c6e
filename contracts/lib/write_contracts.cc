// writeContracts: every document to <name>.tmp first, then renamed into
// place only once all were written; on any failure the temporaries are
// removed and no document is replaced (previous outputs stay intact).
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "seam/contracts/contracts.h"

namespace seam::contracts {

namespace fs = std::filesystem;

Expected<std::vector<std::string>> writeContracts(const std::vector<ServiceContract>& contracts,
                                                  const std::string& dir, Format format) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) return ioError(dir + ": exists and is not a directory");
  fs::create_directories(dir, ec);
  if (ec) return ioError(dir + ": cannot create the output directory: " + ec.message());

  const char* ext = format == Format::kYaml ? "yaml" : "json";
  std::vector<std::pair<std::string, std::string>> files;  // final path, text
  for (const ServiceContract& c : contracts) {
    auto text = [&](const nlohmann::ordered_json& doc) {
      return format == Format::kYaml ? toYaml(doc) : doc.dump(2) + "\n";
    };
    std::string stem = (fs::path(dir) / fileStem(c.service)).string();
    files.emplace_back(stem + ".openapi." + ext, text(c.openapi));
    if (!c.asyncapi.is_null()) files.emplace_back(stem + ".asyncapi." + ext, text(c.asyncapi));
  }

  std::vector<std::string> temps;
  auto cleanup = [&] {
    for (const std::string& t : temps) fs::remove(t, ec);
  };
  for (const auto& [path, text] : files) {
    std::string tmp = path + ".tmp";
    temps.push_back(tmp);
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      cleanup();
      return ioError(tmp + ": cannot write");
    }
  }
  std::vector<std::string> written;
  for (size_t i = 0; i < files.size(); ++i) {
    fs::rename(temps[i], files[i].first, ec);
    if (ec) {
      cleanup();
      return ioError(files[i].first + ": cannot rename into place: " + ec.message());
    }
    written.push_back(files[i].first);
  }
  return written;
}

}  // namespace seam::contracts
