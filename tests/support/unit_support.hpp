// Helpers shared by the unit tests: a store on a real SQLite file, the exit
// code a rule refuses with, and a connector to hang rows on.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include "salesint/domain/connectors.hpp"
#include "salesint/errors.hpp"
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

// The exit code of the salesint::Error fn throws; fails the test when it throws none.
inline ExitCode code_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const Error& e) {
        return e.code();
    }
    FAIL("expected a salesint::Error");
    return ExitCode::kSuccess;
}

// A connector with only its system code.
inline void add_connector(Store& store, const std::string& code) {
    Connector connector;
    connector.system_code = code;
    connectors::add(store, connector);
}

}  // namespace salesint::test
