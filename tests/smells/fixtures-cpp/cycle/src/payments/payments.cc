#include "payments/payments.h"

#include "orders/orders.h"

namespace payments {

// Calls back into orders: orders -> payments -> orders.
bool charge(int order, int cents) {
  if (cents <= 0) return false;
  orders::markPaid(order);
  return true;
}

}  // namespace payments
