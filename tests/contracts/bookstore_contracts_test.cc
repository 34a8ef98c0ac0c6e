// `seam contracts` end to end on the bookstore: the fact store analysed once
// by the analyzer's integration test (SEAM_BOOKSTORE_DB, CTest fixture
// bookstore_facts), a plan from `seam decompose`, every document validated
// by the npm validators (tests/contracts/validator), content asserted, and
// the CLI's bad-input contract (one line, exit code, nothing written).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace {

namespace fs = std::filesystem;

struct CommandResult {
  int code = -1;
  std::string output;  // stdout + stderr
};

CommandResult run(const std::string& command) {
  CommandResult r;
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  while (size_t n = fread(buf.data(), 1, buf.size(), p)) r.output.append(buf.data(), n);
  int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string quote(const std::string& s) { return "'" + s + "'"; }

class ContractsBookstore : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const char* db = std::getenv("SEAM_BOOKSTORE_DB");
    if (!db || !fs::exists(db)) return;
    db_ = db;
    // One directory per process: CTest runs the cases in parallel.
    dir_ = fs::path(SEAM_BUILD_DIR) / "tests" / ("contracts-bookstore-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    plan_ = dir_ / "plan.json";
    decompose_ = run(std::string(SEAM_BIN) + " decompose -q --db " + quote(db_) + " -o " + quote(plan_.string()));
    contracts_ = run(std::string(SEAM_BIN) + " contracts --db " + quote(db_) + " --plan " + quote(plan_.string()) +
                     " -o " + quote((dir_ / "out").string()));
  }

  void SetUp() override {
    if (db_.empty()) GTEST_SKIP() << "SEAM_BOOKSTORE_DB not set (run through ctest: fixture bookstore_facts)";
    ASSERT_EQ(decompose_.code, 0) << decompose_.output;
    ASSERT_EQ(contracts_.code, 0) << contracts_.output;
  }

  /// The service document holding `path` (the plan names services itself).
  static YAML::Node documentWith(const std::string& path, std::string* file = nullptr) {
    for (const auto& e : fs::directory_iterator(dir_ / "out")) {
      std::string name = e.path().filename().string();
      if (name.find(".openapi.yaml") == std::string::npos) continue;
      YAML::Node doc = YAML::LoadFile(e.path().string());
      if (doc["paths"] && doc["paths"][path]) {
        if (file) *file = name;
        return doc;
      }
    }
    return YAML::Node();
  }

  static void TearDownTestSuite() {
    if (!dir_.empty() && !::testing::UnitTest::GetInstance()->Failed()) fs::remove_all(dir_);
  }

  static inline std::string db_;
  static inline fs::path dir_, plan_;
  static inline CommandResult decompose_, contracts_;
};

TEST_F(ContractsBookstore, EveryDocumentValidates) {
  std::string files;
  int count = 0;
  for (const auto& e : fs::directory_iterator(dir_ / "out")) {
    files += " " + quote(e.path().string());
    ++count;
  }
  ASSERT_GE(count, 5) << contracts_.output;
  CommandResult v = run("node " + quote(SEAM_VALIDATOR) + files);
  EXPECT_EQ(v.code, 0) << v.output;
  EXPECT_EQ(v.output.find("INVALID"), std::string::npos) << v.output;
}

TEST_F(ContractsBookstore, PlaceOrderRequestDerivedFromTheHandler) {
  std::string file;
  YAML::Node doc = documentWith("/api/orders", &file);
  ASSERT_TRUE(doc) << "no service takes over /api/orders";
  YAML::Node post = doc["paths"]["/api/orders"]["post"];
  ASSERT_TRUE(post) << file;
  YAML::Node schema = post["requestBody"]["content"]["application/json"]["schema"];
  ASSERT_TRUE(schema["properties"]) << file;
  EXPECT_EQ(schema["properties"]["customer_id"]["type"].as<std::string>(), "integer");
  EXPECT_EQ(schema["properties"]["items"]["type"].as<std::string>(), "array");
  EXPECT_EQ(schema["properties"]["items"]["items"]["properties"]["book_id"]["type"].as<std::string>(), "integer");
  EXPECT_EQ(schema["properties"]["items"]["items"]["properties"]["quantity"]["type"].as<std::string>(), "integer");
  EXPECT_EQ(schema["properties"]["card_number"]["type"].as<std::string>(), "string");
  std::vector<std::string> required = schema["required"].as<std::vector<std::string>>();
  EXPECT_NE(std::find(required.begin(), required.end(), "customer_id"), required.end());
  EXPECT_NE(std::find(required.begin(), required.end(), "items"), required.end());
  EXPECT_EQ(std::find(required.begin(), required.end(), "card_number"), required.end());
  // GET /api/orders/(\d+) -> a path template with an integer parameter.
  YAML::Node get = doc["paths"]["/api/orders/{id}"]["get"];
  ASSERT_TRUE(get);
  EXPECT_EQ(get["parameters"][0]["in"].as<std::string>(), "path");
  EXPECT_EQ(get["parameters"][0]["schema"]["type"].as<std::string>(), "integer");
  // The list takes query parameters read through queryInt/queryString.
  YAML::Node list = doc["paths"]["/api/orders"]["get"];
  bool has_status = false;
  for (const auto& p : list["parameters"]) has_status = has_status || p["name"].as<std::string>() == "status";
  EXPECT_TRUE(has_status);
}

TEST_F(ContractsBookstore, InternalEndpointsForCrossBoundaryCalls) {
  int internal = 0;
  for (const auto& e : fs::directory_iterator(dir_ / "out")) {
    if (e.path().string().find(".openapi.yaml") == std::string::npos) continue;
    YAML::Node doc = YAML::LoadFile(e.path().string());
    for (const auto& p : doc["paths"]) {
      if (p.first.as<std::string>().rfind("/internal/", 0) != 0) continue;
      ++internal;
      EXPECT_TRUE(p.second["post"]["x-seam-function"]) << p.first.as<std::string>();
      EXPECT_TRUE(p.second["post"]["responses"]) << p.first.as<std::string>();
    }
  }
  EXPECT_GT(internal, 0) << "the plan has cross-boundary calls";
}

TEST_F(ContractsBookstore, BadInputIsOneLineAndWritesNothing) {
  fs::path out = dir_ / "bad-out";
  fs::remove_all(out);
  auto expectBadInput = [&](const std::string& args, const std::string& what) {
    CommandResult r = run(std::string(SEAM_BIN) + " contracts " + args + " -o " + quote(out.string()));
    EXPECT_EQ(r.code, 3) << what << ": " << r.output;
    EXPECT_EQ(r.output.rfind("seam contracts: ", 0), 0u) << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
    EXPECT_FALSE(fs::exists(out)) << what;
  };
  expectBadInput("--db " + quote((dir_ / "missing.db").string()) + " --plan " + quote(plan_.string()), "missing store");
  fs::path foreign = dir_ / "foreign.db";
  std::ofstream(foreign) << "not sqlite at all, just text";
  expectBadInput("--db " + quote(foreign.string()) + " --plan " + quote(plan_.string()), "foreign store");
  fs::path other_plan = dir_ / "other-plan.json";
  std::ofstream(other_plan) << R"({"format": "seam-plan", "version": 1, "services": [{"name": "x", "modules": ["src/nope"]}]})";
  expectBadInput("--db " + quote(db_) + " --plan " + quote(other_plan.string()), "plan not matching");
  fs::path not_plan = dir_ / "not-plan.json";
  std::ofstream(not_plan) << "[1, 2";
  expectBadInput("--db " + quote(db_) + " --plan " + quote(not_plan.string()), "malformed plan");
  // An output path that is a file: exit 3, the file untouched.
  fs::path blocker = dir_ / "blocker";
  std::ofstream(blocker) << "keep";
  CommandResult r = run(std::string(SEAM_BIN) + " contracts --db " + quote(db_) + " --plan " + quote(plan_.string()) + " -o " +
              quote(blocker.string()));
  EXPECT_EQ(r.code, 3) << r.output;
  std::ifstream in(blocker);
  std::string kept;
  in >> kept;
  EXPECT_EQ(kept, "keep");
}

}  // namespace
