// JSON Schemas (OpenAPI 3.1 / AsyncAPI 3 dialect) from the fact store's
// json_fields rows and type_members rows. Internal to seam_contracts.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "seam/contracts/facts.h"

namespace seam::contracts {

using Json = nlohmann::ordered_json;

/// {"x-seam-unknown": true, "description": why}: the explicit "not derived" marker.
Json unknownSchema(const std::string& why);

/// An object schema from field rows (all of one direction): top-level rows
/// (parent "") are its properties; "k[]" / "k" parents nest arrays of objects
/// and objects. Properties with several rows merge: the first known type
/// wins, required if any read requires it. `open` adds additionalProperties.
Json objectSchemaFromFields(const std::vector<JsonField>& fields, bool open);

/// The schema of a C++ parameter/return/field from type_members, with
/// project records expanded from their fields (depth-limited).
Json schemaOfMember(const TypeMember& m, const Facts& facts, int depth = 0);

/// True for parameters that are handles to the caller's context (non-const
/// lvalue references such as Db&, Response&): they cannot cross a wire.
bool isContextParameter(const TypeMember& m);

}  // namespace seam::contracts
