// Rendering and queueing e-mails; the dispatcher.
#include <string>

#include "common/clock.h"
#include "common/errors.h"
#include "common/log.h"
#include "notifications/notifications.h"

namespace bookstore::notifications {
namespace {

// Replaces every {{key}} with vars[key] (strings as is, numbers printed);
// unknown placeholders are left visible so a broken template is noticed.
std::string render(const std::string& text, const Json& vars) {
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t open = text.find("{{", pos);
    if (open == std::string::npos) break;
    size_t close = text.find("}}", open + 2);
    if (close == std::string::npos) break;
    out.append(text, pos, open - pos);
    std::string key = text.substr(open + 2, close - open - 2);
    auto it = vars.find(key);
    if (it == vars.end()) out.append(text, open, close + 2 - open);
    else if (it->is_string()) out += it->get<std::string>();
    else out += it->dump();
    pos = close + 2;
  }
  out.append(text, pos, std::string::npos);
  // The templates store "\n" escapes literally; turn them into line breaks.
  std::string result;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == '\\' && i + 1 < out.size() && out[i + 1] == 'n') {
      result += '\n';
      ++i;
    } else {
      result += out[i];
    }
  }
  return result;
}

}  // namespace

int64_t enqueue(Db& db, const std::string& kind, int64_t customer_id, const std::string& ref_type,
                int64_t ref_id, const Json& vars) {
  // Reads the customers table directly for the recipient (an entanglement).
  auto customer = db.queryOne("SELECT email, name FROM customers WHERE id = ?", {customer_id});
  if (!customer) throw AppError::notFound("customer " + std::to_string(customer_id) + " not found");
  auto tpl = db.queryOne("SELECT subject, body FROM email_templates WHERE kind = ?", {kind});
  if (!tpl) throw AppError::notFound("no e-mail template '" + kind + "'");

  Json all = vars.is_object() ? vars : Json::object();
  all["name"] = customer->text("name");
  all["email"] = customer->text("email");
  db.exec(
      "INSERT INTO outbox (kind, customer_id, recipient, subject, body, ref_type, ref_id, status, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?)",
      {kind, customer_id, customer->text("email"), render(tpl->text("subject"), all), render(tpl->text("body"), all),
       ref_type, ref_id, nowIso()});
  return db.lastInsertId();
}

int dispatch(Db& db, int limit) {
  Transaction tx(db);
  auto queued = db.query("SELECT id, recipient, subject FROM outbox WHERE status = 'queued' ORDER BY id LIMIT ?",
                         {limit});
  std::string now = nowIso();
  for (const auto& message : queued) {
    // "Sending" is logging: the sample never talks to a mail server.
    log::debug("mail to " + message.text("recipient") + ": " + message.text("subject"));
    db.exec("UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = ? WHERE id = ?",
            {now, message.integer("id")});
  }
  tx.commit();
  return static_cast<int>(queued.size());
}

}  // namespace bookstore::notifications
