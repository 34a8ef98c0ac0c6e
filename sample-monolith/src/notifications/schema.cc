// Tables owned by notifications, and the built-in templates.
#include "notifications/notifications.h"

namespace bookstore::notifications {
namespace {

constexpr const char* kNotificationsDdl = R"sql(
CREATE TABLE IF NOT EXISTS email_templates (
  kind    TEXT PRIMARY KEY,
  subject TEXT NOT NULL,
  body    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS outbox (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  recipient   TEXT NOT NULL,
  subject     TEXT NOT NULL,
  body        TEXT NOT NULL,
  ref_type    TEXT,
  ref_id      INTEGER,
  status      TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'cancelled')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  created_at  TEXT NOT NULL,
  sent_at     TEXT
);
CREATE INDEX IF NOT EXISTS outbox_by_status ON outbox(status, id);
CREATE INDEX IF NOT EXISTS outbox_by_customer ON outbox(customer_id);
INSERT OR IGNORE INTO email_templates (kind, subject, body) VALUES
  ('welcome', 'Welcome to the bookstore, {{name}}', 'Hello {{name}},\n\nyour account {{email}} is ready. Happy reading!'),
  ('order_confirmation', 'Order #{{order_id}} received', 'Hello {{name}},\n\nwe received your order #{{order_id}} of {{items}} item(s), total {{total}}.'),
  ('payment_received', 'Payment for order #{{order_id}}', 'Hello {{name}},\n\nwe received your payment of {{amount}} for order #{{order_id}}.'),
  ('order_shipped', 'Order #{{order_id}} is on its way', 'Hello {{name}},\n\norder #{{order_id}} left with {{carrier}}, tracking number {{tracking}}.'),
  ('order_delivered', 'Order #{{order_id}} delivered', 'Hello {{name}},\n\norder #{{order_id}} was delivered. Tell us what you think of your books!'),
  ('order_cancelled', 'Order #{{order_id}} cancelled', 'Hello {{name}},\n\norder #{{order_id}} was cancelled. {{reason}}'),
  ('refund_issued', 'Refund for order #{{order_id}}', 'Hello {{name}},\n\nwe refunded {{amount}} for order #{{order_id}}.'),
  ('custom', '{{subject}}', '{{body}}');
)sql";

}  // namespace

std::string schemaDdl() { return kNotificationsDdl; }

}  // namespace bookstore::notifications
