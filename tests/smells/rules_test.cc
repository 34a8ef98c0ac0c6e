// Rule behaviour beyond the fixtures: ownership, evidence, configuration,
// fingerprint stability.
#include "test_util.h"

namespace seam::smells::testing {
namespace {

Report mustAnalyze(const Options& o) {
  auto r = analyze(o);
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  return r ? *r : Report{};
}

const Finding* findRule(const Report& r, const std::string& id) {
  for (const auto& f : r.findings)
    if (f.rule_id == id) return &f;
  return nullptr;
}

const char* kTwoWriters = R"(
symbols:
  - catalog::a src/catalog/a.cc:10
  - catalog::b src/catalog/a.cc:20
  - sales::c src/sales/c.cc:10
  - shared::d src/shared/d.cc:10
access:
  - catalog::a insert books
  - catalog::b update books
  - sales::c update books
  - shared::d delete books
)";

TEST(SmellsRules, OwnerIsTheMostFrequentWriterAndUnassignedCodeIsNotAService) {
  auto dir = freshDir("owner");
  Report r = mustAnalyze(storeWith(dir, kTwoWriters, "services:\n  catalog: [src/catalog]\n  sales: [src/sales]\n"));
  const Finding* f = findRule(r, "SEAM001");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::kError);
  EXPECT_EQ(f->service, "catalog");
  EXPECT_EQ(f->services, (std::vector<std::string>{"catalog", "sales"}));
  EXPECT_NE(f->remedy.find("'catalog' (writes it most)"), std::string::npos) << f->remedy;
  ASSERT_GE(f->locations.size(), 3u);
  EXPECT_EQ(f->locations[0].file, "src/catalog/a.cc");
  EXPECT_EQ(f->locations[0].line, 12);  // the statement's line
  EXPECT_NE(f->locations[0].note.find("catalog::a inserts into books"), std::string::npos);
  const Finding* i = findRule(r, "SEAM002");
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(i->key, "sales->catalog");
}

TEST(SmellsRules, DeclaredOwnerWinsOverWriteCounts) {
  auto dir = freshDir("declared");
  Report r = mustAnalyze(storeWith(dir, kTwoWriters,
                                   "services:\n  catalog: [src/catalog]\n"
                                   "  sales: {paths: [src/sales], tables: [BOOKS]}\n"));
  const Finding* i = findRule(r, "SEAM002");
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(i->key, "catalog->sales");
}

TEST(SmellsRules, CycleEvidenceHasOneSitePerHop) {
  auto dir = freshDir("cycle");
  Report r = mustAnalyze(storeWith(dir, R"(
symbols:
  - a::f src/a/a.cc:1
  - b::f src/b/b.cc:1
  - c::f src/c/c.cc:1
edges:
  - a::f -> b::f
  - b::f -> a::f x3
  - b::f -> c::f
  - c::f -> a::f
)", "services: {a: [src/a], b: [src/b], c: [src/c]}\n"));
  const Finding* f = findRule(r, "SEAM003");
  ASSERT_NE(f, nullptr);
  EXPECT_NE(f->message.find("a -> b -> a"), std::string::npos) << f->message;
  EXPECT_NE(f->message.find("component of 3 services"), std::string::npos) << f->message;
  ASSERT_EQ(f->locations.size(), 2u);
  EXPECT_EQ(f->locations[1].file, "src/b/b.cc");
}

TEST(SmellsRules, DisabledRulesAndUnknownRuleNames) {
  auto dir = freshDir("disable");
  Options o = storeWith(dir, kTwoWriters, "services:\n  catalog: [src/catalog]\n  sales: [src/sales]\n");
  writeFile(dir / "seam.yaml", "smells:\n  disabled_rules: [SEAM001, inappropriate-intimacy]\n");
  o.config_path = (dir / "seam.yaml").string();
  EXPECT_EQ(ruleKeys(o), (std::vector<std::string>{"SEAM011 src/shared"}));
  writeFile(dir / "seam.yaml", "smells:\n  disabled_rules: [SEAM999]\n");
  auto r = analyze(o);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("SEAM999"), std::string::npos);
}

TEST(SmellsRules, FingerprintsDoNotDependOnLineNumbers) {
  auto a = freshDir("fp-a"), b = freshDir("fp-b");
  std::string moved = kTwoWriters;
  for (auto [from, to] : {std::pair{":10", ":110"}, {":20", ":220"}}) {
    for (size_t p; (p = moved.find(from)) != std::string::npos;) moved.replace(p, 3, to);
  }
  const char* services = "services:\n  catalog: [src/catalog]\n  sales: [src/sales]\n";
  Report ra = mustAnalyze(storeWith(a, kTwoWriters, services));
  Report rb = mustAnalyze(storeWith(b, moved, services));
  ASSERT_EQ(ra.findings.size(), rb.findings.size());
  ASSERT_FALSE(ra.findings.empty());
  EXPECT_NE(ra.findings[0].locations[0].line, rb.findings[0].locations[0].line);
  for (size_t i = 0; i < ra.findings.size(); ++i) EXPECT_EQ(ra.findings[i].fingerprint, rb.findings[i].fingerprint);
}

TEST(SmellsRules, ChainFollowsVirtualCallsToOverriders) {
  auto dir = freshDir("virtual");
  Options o = storeWith(dir, R"(
symbols:
  - web::h src/web/w.cc:1
  - core::Port::send src/core/port.h:3 method
  - x::Impl::send src/x/x.cc:1 method
  - y::g src/y/y.cc:1
  - z::g src/z/z.cc:1
routes:
  - GET /v web::h
edges:
  - web::h -> core::Port::send virtual_call
  - x::Impl::send -> core::Port::send override
  - x::Impl::send -> y::g
  - y::g -> z::g
)", "services: {web: [src/web], core: [src/core], x: [src/x], y: [src/y], z: [src/z]}\n");
  Report r = mustAnalyze(o);
  const Finding* f = findRule(r, "SEAM006");
  ASSERT_NE(f, nullptr);
  EXPECT_NE(f->message.find("reaches 4 other services"), std::string::npos) << f->message;
  EXPECT_NE(f->message.find("longest chain web -> x -> y -> z"), std::string::npos) << f->message;
}

}  // namespace
}  // namespace seam::smells::testing
