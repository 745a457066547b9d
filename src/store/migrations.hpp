// The schema of the state file, as an ordered list of migrations. A migration
// is never edited once released: change the schema by appending one.
#pragma once

#include <vector>

namespace salesint::store {

struct Migration {
    int version;
    const char* description;
    const char* sql;
};

const std::vector<Migration>& migrations();

// Tables that hold tenant rows, in the order `state info` lists them.
const std::vector<const char*>& tenant_tables();

// "SALE" in ASCII: marks a SQLite file as a salesint state file.
inline constexpr int kApplicationId = 0x53414c45;

}  // namespace salesint::store
