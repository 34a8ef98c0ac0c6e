#pragma once
#include <string>
namespace model {
struct Book {
  int id = 0;
  std::string title;
};
}  // namespace model
