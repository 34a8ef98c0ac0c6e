// Tests for the declared query-builder model: clause semantics of
// SelectParts and the seam.yaml `sql.builders` section.
#include "seam/analyzer/sql_builder.h"

#include <gtest/gtest.h>

#include "seam/analyzer/config.h"

namespace seam::analyzer {
namespace {

TEST(SqlBuilderTest, RendersClausesInSqlOrderWhateverTheCallOrder) {
  SelectParts parts;
  parts.add(SqlClause::kLimit, "20", false);
  parts.add(SqlClause::kOrderBy, "title", false);
  parts.add(SqlClause::kWhere, "a = ? OR b = ?", false);
  parts.add(SqlClause::kFrom, "books b", false);
  parts.add(SqlClause::kJoin, "JOIN stock s ON s.book_id = b.id", false);
  parts.add(SqlClause::kWhere, "s.qty > 0", false);
  parts.add(SqlClause::kGroupBy, "b.category_id", false);
  parts.add(SqlClause::kHaving, "count(*) > 1", false);
  parts.add(SqlClause::kOffset, "40", false);
  parts.add(SqlClause::kColumns, "b.id, b.title", false);
  EXPECT_EQ(parts.render(SqlRender::kSelect),
            "SELECT b.id, b.title FROM books b JOIN stock s ON s.book_id = b.id WHERE (a = ? OR b = ?) "
            "AND (s.qty > 0) GROUP BY b.category_id HAVING (count(*) > 1) ORDER BY title LIMIT 20 OFFSET 40");
  EXPECT_EQ(parts.render(SqlRender::kCount),
            "SELECT COUNT(*) FROM books b JOIN stock s ON s.book_id = b.id WHERE (a = ? OR b = ?) AND "
            "(s.qty > 0)");
}

TEST(SqlBuilderTest, UnconditionalSetsReplaceConditionalOnesAccumulate) {
  SelectParts parts;
  parts.add(SqlClause::kFrom, "orders", false);
  parts.add(SqlClause::kOrderBy, "id", false);
  parts.add(SqlClause::kOrderBy, "created_at", false);  // replaces
  parts.add(SqlClause::kOrderBy, "total_cents", true);  // may replace: both kept
  parts.add(SqlClause::kLimit, "10", false);
  parts.add(SqlClause::kLimit, "?", true);  // single-valued: last one wins
  EXPECT_EQ(parts.render(SqlRender::kSelect), "SELECT * FROM orders ORDER BY created_at, total_cents LIMIT ?");
}

TEST(SqlBuilderTest, WithoutFromOnlyTheSelectList) {
  SelectParts parts;
  parts.add(SqlClause::kColumns, "1", false);
  parts.add(SqlClause::kWhere, "x", false);
  EXPECT_EQ(parts.render(SqlRender::kSelect), "SELECT 1");
}

TEST(SqlBuilderTest, ClauseAndRenderNames) {
  EXPECT_EQ(parseSqlClause("order_by"), SqlClause::kOrderBy);
  EXPECT_EQ(parseSqlClause("from"), SqlClause::kFrom);
  EXPECT_FALSE(parseSqlClause("orderBy"));
  EXPECT_EQ(parseSqlRender("count"), SqlRender::kCount);
  EXPECT_FALSE(parseSqlRender("insert"));
}

TEST(SqlBuilderTest, SeamYamlDeclaresBuilders) {
  auto config = parseConfig(R"(
sql:
  builders:
    - class: "bookstore::Select"
      constructor: [from]
      methods: {columns: columns, where: where, orderBy: order_by, limit: limit}
      render: {sql: select, countSql: count}
)");
  ASSERT_TRUE(static_cast<bool>(config)) << llvm::toString(config.takeError());
  ASSERT_EQ(config->sql_builders.size(), 1u);
  const SqlBuilderSpec& spec = config->sql_builders[0];
  EXPECT_EQ(spec.class_name, "bookstore::Select");
  EXPECT_EQ(spec.constructor, std::vector<SqlClause>{SqlClause::kFrom});
  EXPECT_EQ(spec.methods.at("orderBy"), SqlClause::kOrderBy);
  EXPECT_EQ(spec.render.at("countSql"), SqlRender::kCount);
}

TEST(SqlBuilderTest, BadBuilderSpecsAreOneLineErrors) {
  auto expectError = [](const std::string& yaml, const std::string& needle) {
    auto config = parseConfig(yaml);
    ASSERT_FALSE(static_cast<bool>(config)) << yaml;
    std::string message = llvm::toString(config.takeError());
    EXPECT_NE(message.find(needle), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  };
  expectError("sql: {builders: [{class: Q, methods: {w: wher}, render: {sql: select}}]}", "unknown clause 'wher'");
  expectError("sql: {builders: [{class: Q, render: {sql: insert}}]}", "unknown render 'insert'");
  expectError("sql: {builders: [{class: Q}]}", "need a class and a render map");
  expectError("sql: {builders: [{class: Q, render: {sql: select}, extra: 1}]}", "unknown key 'extra'");
  expectError("sql: {builders: [{class: Q, methods: [where], render: {sql: select}}]}", "seam.yaml");
}

}  // namespace
}  // namespace seam::analyzer
