// Customer accounts and addresses: data access and validation.
#include <cctype>
#include <string>

#include "common/clock.h"
#include "common/errors.h"
#include "common/http.h"
#include "common/json_fields.h"
#include "common/query_builder.h"
#include "customers/customers.h"
#include "customers/customers_internal.h"
#include "notifications/notifications.h"

namespace bookstore::customers {
namespace {

static const std::string kSelectCustomer =
    "SELECT id, email, name, status, created_at, updated_at FROM customers WHERE id = ?";
static const std::string kSelectAddresses =
    "SELECT id, line1, line2, city, postal_code, country, is_default FROM addresses "
    "WHERE customer_id = ? AND deleted = 0 ORDER BY is_default DESC, id";

std::string normalizedCountry(const std::string& raw) {
  if (raw.size() != 2 || !std::isalpha(static_cast<unsigned char>(raw[0])) ||
      !std::isalpha(static_cast<unsigned char>(raw[1]))) {
    throw AppError::invalid("field 'country' must be a two-letter ISO code");
  }
  return {static_cast<char>(std::toupper(static_cast<unsigned char>(raw[0]))),
          static_cast<char>(std::toupper(static_cast<unsigned char>(raw[1])))};
}

std::string validEmail(const Json& body, bool required) {
  auto email = optionalString(body, "email", 254);
  if (!email) {
    if (required) throw AppError::invalid("field 'email' is required");
    return {};
  }
  if (!looksLikeEmail(*email)) throw AppError::invalid("field 'email' is not an e-mail address");
  return *email;
}

}  // namespace

std::optional<CustomerSummary> findCustomer(Db& db, int64_t customer_id) {
  auto row = db.queryOne(kSelectCustomer, {customer_id});
  if (!row) return std::nullopt;
  return CustomerSummary{row->integer("id"), row->text("email"), row->text("name"), row->text("status")};
}

CustomerSummary requireActiveCustomer(Db& db, int64_t customer_id) {
  auto customer = findCustomer(db, customer_id);
  if (!customer) throw AppError::notFound("customer " + std::to_string(customer_id) + " not found");
  if (customer->status != "active") {
    throw AppError::conflict("customer " + std::to_string(customer_id) + " is closed");
  }
  return *customer;
}

Json customerDetails(Db& db, int64_t customer_id) {
  auto row = db.queryOne(kSelectCustomer, {customer_id});
  if (!row) throw AppError::notFound("customer " + std::to_string(customer_id) + " not found");
  Json customer = row->json();
  customer["addresses"] = toJson(db.query(kSelectAddresses, {customer_id}));
  return customer;
}

Json listCustomers(Db& db, const std::optional<std::string>& query, const std::optional<std::string>& status,
                   const Paging& paging) {
  Select select("customers");
  select.columns({"id", "email", "name", "status", "created_at"});
  Params params;
  if (query) {
    select.where("(name LIKE ? OR email LIKE ?)");
    params.emplace_back("%" + *query + "%");
    params.emplace_back("%" + *query + "%");
  }
  if (status) {
    select.where("status = ?");
    params.emplace_back(*status);
  }
  int64_t total = db.queryInt(select.countSql(), params);
  select.orderBy("id").limit(paging.per_page).offset(paging.offset());
  return pageOf(db.query(select.sql(), params), paging, total);
}

Json createCustomer(Db& db, const Json& body) {
  std::string email = validEmail(body, true);
  std::string name = requireString(body, "name", 200);
  Transaction tx(db);
  if (db.queryInt("SELECT COUNT(*) FROM customers WHERE email = ?", {email}) > 0) {
    throw AppError::conflict("a customer with e-mail " + email + " already exists");
  }
  std::string now = nowIso();
  db.exec("INSERT INTO customers (email, name, status, created_at, updated_at) VALUES (?, ?, 'active', ?, ?)",
          {email, name, now, now});
  int64_t id = db.lastInsertId();
  notifications::enqueue(db, "welcome", id, "customer", id);
  tx.commit();
  return customerDetails(db, id);
}

Json updateCustomer(Db& db, int64_t customer_id, const Json& body) {
  std::string email = validEmail(body, false);
  auto name = optionalString(body, "name", 200);
  Transaction tx(db);
  requireActiveCustomer(db, customer_id);
  if (!email.empty()) {
    if (db.queryInt("SELECT COUNT(*) FROM customers WHERE email = ? AND id <> ?", {email, customer_id}) > 0) {
      throw AppError::conflict("a customer with e-mail " + email + " already exists");
    }
    db.exec("UPDATE customers SET email = ? WHERE id = ?", {email, customer_id});
  }
  if (name) db.exec("UPDATE customers SET name = ? WHERE id = ?", {*name, customer_id});
  db.exec("UPDATE customers SET updated_at = ? WHERE id = ?", {nowIso(), customer_id});
  tx.commit();
  return customerDetails(db, customer_id);
}

void closeCustomer(Db& db, int64_t customer_id) {
  Transaction tx(db);
  requireActiveCustomer(db, customer_id);
  db.exec("UPDATE customers SET status = 'closed', updated_at = ? WHERE id = ?", {nowIso(), customer_id});
  tx.commit();
}

Json addAddress(Db& db, int64_t customer_id, const Json& body) {
  std::string line1 = requireString(body, "line1", 200);
  auto line2 = optionalString(body, "line2", 200);
  std::string city = requireString(body, "city", 100);
  std::string postal_code = requireString(body, "postal_code", 20);
  std::string country = normalizedCountry(requireString(body, "country", 2));
  bool make_default = optionalBool(body, "is_default").value_or(false);

  Transaction tx(db);
  requireActiveCustomer(db, customer_id);
  // The first address is the default one whatever the client says.
  if (db.queryInt("SELECT COUNT(*) FROM addresses WHERE customer_id = ? AND deleted = 0", {customer_id}) == 0) {
    make_default = true;
  }
  if (make_default) db.exec("UPDATE addresses SET is_default = 0 WHERE customer_id = ?", {customer_id});
  db.exec(
      "INSERT INTO addresses (customer_id, line1, line2, city, postal_code, country, is_default, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {customer_id, line1, line2, city, postal_code, country, make_default ? 1 : 0, nowIso()});
  int64_t id = db.lastInsertId();
  tx.commit();
  auto row = db.queryOne("SELECT id, line1, line2, city, postal_code, country, is_default FROM addresses WHERE id = ?",
                         {id});
  return row->json();
}

Json listAddresses(Db& db, int64_t customer_id) {
  if (!findCustomer(db, customer_id)) throw AppError::notFound("customer " + std::to_string(customer_id) + " not found");
  return Json{{"items", toJson(db.query(kSelectAddresses, {customer_id}))}};
}

void removeAddress(Db& db, int64_t customer_id, int64_t address_id) {
  // Orders and shipments keep pointing at old addresses, so they are hidden, not deleted.
  int changed = db.exec("UPDATE addresses SET deleted = 1, is_default = 0 WHERE id = ? AND customer_id = ? AND deleted = 0",
                        {address_id, customer_id});
  if (changed == 0) throw AppError::notFound("address " + std::to_string(address_id) + " not found");
}

}  // namespace bookstore::customers
