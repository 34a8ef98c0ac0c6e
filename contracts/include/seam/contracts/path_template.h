// Route patterns as registered in the code -> OpenAPI path templates.
//
//   /api/books/:id               -> /api/books/{id}            (string)
//   /api/books/(\d+)             -> /api/books/{id}            (integer)
//   /api/books/(\d+)/reviews/(\d+) -> /api/books/{id}/reviews/{id2}
//   /users/<int>                 -> /users/{id}                (integer, Crow)
//   /files/(.*)                  -> /files/{p1}, exact = false (a regex OpenAPI cannot express)
//
// A pure function over the pattern text; it never fails.
#pragma once

#include <string>
#include <vector>

namespace seam::contracts {

struct PathParameter {
  std::string name;
  std::string type;     ///< integer | number | string
  std::string pattern;  ///< the regex group or placeholder it came from
};

struct PathTemplate {
  std::string path;  ///< OpenAPI template
  std::vector<PathParameter> parameters;
  bool exact = true;  ///< false: the original pattern matches more or less than the template says
};

PathTemplate toPathTemplate(const std::string& pattern);

}  // namespace seam::contracts
