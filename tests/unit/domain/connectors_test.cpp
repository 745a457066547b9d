// Connector rules (src/domain/connectors.cpp): no credentials or secrets
// stored, and no removal while rows refer to a connector; on a real SQLite
// file in a temp dir.
#include <catch2/catch.hpp>

#include "salesint/domain/audit.hpp"
#include "salesint/domain/checkpoints.hpp"
#include "salesint/domain/connectors.hpp"
#include "salesint/errors.hpp"
#include "support/temp_state.hpp"
#include "support/unit_support.hpp"

using namespace salesint;
using salesint::test::add_connector;
using salesint::test::code_of;
using salesint::test::open_at;
using salesint::test::TempDir;

TEST_CASE("a connector refuses secrets and credentials", "[store][connector][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
    Connector with_credentials;
    with_credentials.system_code = "ERP";
    with_credentials.base_url = "https://user:hunter2@erp.example.com/api";
    CHECK(code_of([&] { connectors::add(*store, with_credentials); }) == ExitCode::kUsage);
    Connector bad_env;
    bad_env.system_code = "ERP";
    bad_env.secret_env = "not a variable=hunter2";
    CHECK(code_of([&] { connectors::add(*store, bad_env); }) == ExitCode::kUsage);
    CHECK(store->list_connectors().empty());
}

TEST_CASE("a connector in use cannot be removed", "[store][connector][backends]") {
    TempDir dir;
    auto store = open_at(dir.state());
    add_connector(*store, "PYXIS");
    checkpoints::set(*store, {"PYXIS", "orders", "1", std::nullopt});
    CHECK(code_of([&] { connectors::remove(*store, "PYXIS", ""); }) == ExitCode::kRefused);
    checkpoints::reset(*store, "PYXIS", "orders", "retire", std::nullopt);
    connectors::remove(*store, "pyxis", "retired");
    CHECK(store->list_connectors().empty());
    CHECK(audit::list(*store, "", "connector.remove").size() == 1);
}
