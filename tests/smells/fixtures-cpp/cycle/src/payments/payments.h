#pragma once
namespace payments {
bool charge(int order, int cents);
}  // namespace payments
