#include <string>

#include "model/book.h"

namespace orders {

const std::string kInventoryUrl = "http://inventory:8081/stock";

int lineTotal(const model::Book& book, int quantity) { return book.id > 0 ? quantity * 100 : 0; }

}  // namespace orders
