// The card gateway: a deterministic fake, so tests and demos can trigger
// every outcome. Outcomes by card number suffix (Stripe's test numbers):
//   ...0002  declined, "card_declined"      e.g. 4000000000000002
//   ...9995  declined, "insufficient_funds" e.g. 4000000000009995
//   anything else with a valid Luhn digit: approved
// Amounts above kMaxChargeCents are declined with "amount_limit_exceeded".
#pragma once

#include <cstdint>
#include <string>

namespace bookstore::payments {

constexpr int64_t kMaxChargeCents = 500000;

struct GatewayDecision {
  bool approved = false;
  std::string reference;  // "gw_" + 16 hex digits, a function of card and amount
  std::string reason;     // when declined
};

/// Digits of the card number; empty when it is not 12-19 digits with a valid Luhn digit.
std::string normalizedCard(const std::string& card_number);
std::string cardBrand(const std::string& digits);
GatewayDecision authorize(const std::string& digits, int64_t amount_cents, int64_t order_id);

}  // namespace bookstore::payments
