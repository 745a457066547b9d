// The entity types `job import` knows (README.md, "Import and export jobs"):
// how a record of each is validated, where its id and cursor are, and which
// roles a record may claim. Anything else is taken with least privilege: its
// mapping waits in pending_review until someone approves it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "salesint/execute/adapter.hpp"

namespace salesint::jobs {

struct EntityType {
    std::vector<std::string> names;  // singular and plural: order, orders
    std::string id_field;
    std::string cursor_field;
    // The adapter whose input rules the record must pass (the same code as
    // `execute`), or empty: an object with an id is enough.
    std::string validated_as;
    // The roles a record's "role" field may hold; empty: any (no role rule).
    std::vector<std::string> roles;
};

// The known entity type named (either form), or nullptr.
const EntityType* find_entity_type(std::string_view name);

}  // namespace salesint::jobs
