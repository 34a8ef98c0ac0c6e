#include "orders/orders.h"

#include "payments/payments.h"

namespace orders {

static int g_next = 1;

int place(int customer) {
  int order = g_next++;
  if (!payments::charge(order, 1000 + customer)) return -1;
  return order;
}

void markPaid(int order) { (void)order; }

}  // namespace orders
