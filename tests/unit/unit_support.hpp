// Helpers shared by the unit tests of the store.
#pragma once

#include <memory>
#include <string>

#include "salesint/store.hpp"

namespace salesint::test {

// The store at path, for tenant, created and migrated when new.
inline std::unique_ptr<Store> open_at(const std::string& path,
                                      const std::string& tenant = "default") {
    StoreOptions options;
    options.path = path;
    options.tenant = tenant;
    return open_store(options);
}

}  // namespace salesint::test
