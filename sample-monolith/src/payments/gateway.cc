#include "payments/gateway.h"

#include <cstdio>

namespace bookstore::payments {

std::string normalizedCard(const std::string& card_number) {
  std::string digits;
  for (char c : card_number) {
    if (c == ' ' || c == '-') continue;
    if (c < '0' || c > '9') return {};
    digits += c;
  }
  if (digits.size() < 12 || digits.size() > 19) return {};
  int sum = 0;
  bool twice = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = *it - '0';
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0 ? digits : std::string();
}

std::string cardBrand(const std::string& digits) {
  if (digits.empty()) return "unknown";
  if (digits[0] == '4') return "visa";
  if (digits[0] == '5') return "mastercard";
  if (digits.rfind("34", 0) == 0 || digits.rfind("37", 0) == 0) return "amex";
  return "other";
}

GatewayDecision authorize(const std::string& digits, int64_t amount_cents, int64_t order_id) {
  // FNV-1a over card, amount and order: a stable, opaque reference.
  uint64_t hash = 1469598103934665603ULL;
  auto mix = [&hash](const std::string& s) {
    for (unsigned char c : s) hash = (hash ^ c) * 1099511628211ULL;
  };
  mix(digits);
  mix(std::to_string(amount_cents));
  mix(std::to_string(order_id));
  char reference[24];
  std::snprintf(reference, sizeof reference, "gw_%016llx", static_cast<unsigned long long>(hash));

  auto endsWith = [&digits](const char* suffix) {
    std::string s(suffix);
    return digits.size() >= s.size() && digits.compare(digits.size() - s.size(), s.size(), s) == 0;
  };
  if (endsWith("0002")) return {false, reference, "card_declined"};
  if (endsWith("9995")) return {false, reference, "insufficient_funds"};
  if (amount_cents > kMaxChargeCents) return {false, reference, "amount_limit_exceeded"};
  return {true, reference, ""};
}

}  // namespace bookstore::payments
