#pragma once
namespace orders {
int place(int customer);
void markPaid(int order);
}  // namespace orders
