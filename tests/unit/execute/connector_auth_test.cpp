// A connector's secret as live calls and `salesint health` look for it
// (src/execute/connector_auth.cpp): which auth methods need one, and why one
// is missing, named by its source and never by its value.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>

#include "execute/connector_auth.hpp"
#include "support/temp_state.hpp"

using namespace salesint;
using salesint::test::TempDir;
using salesint::test::write_file;

namespace {

Connector with_env(const std::string& variable) {
    Connector connector;
    connector.system_code = "ERP";
    connector.auth_method = "bearer";
    connector.secret_env = variable;
    return connector;
}

Connector with_file(const std::string& path) {
    Connector connector;
    connector.system_code = "ERP";
    connector.auth_method = "api_key";
    connector.secret_file = path;
    return connector;
}

}  // namespace

TEST_CASE("bearer, basic, api_key and hmac need a secret", "[execute][auth]") {
    for (const char* method : {"bearer", "basic", "api_key", "hmac"}) {
        CHECK(execute::needs_secret(method));
    }
    for (const char* method : {"", "none", "oauth2"}) {
        CHECK_FALSE(execute::needs_secret(method));
    }
}

TEST_CASE("a missing secret is named by its source, never by its value", "[execute][auth]") {
    ::unsetenv("SALESINT_TEST_UNSET_TOKEN");
    CHECK(execute::missing_secret(with_env("SALESINT_TEST_UNSET_TOKEN")) ==
          "environment variable SALESINT_TEST_UNSET_TOKEN is not set (the secret_env of "
          "connector ERP)");
    ::setenv("SALESINT_TEST_EMPTY_TOKEN", "", 1);
    CHECK(execute::missing_secret(with_env("SALESINT_TEST_EMPTY_TOKEN")) ==
          "environment variable SALESINT_TEST_EMPTY_TOKEN is empty (the secret_env of connector "
          "ERP)");
    ::setenv("SALESINT_TEST_SET_TOKEN", "tok-unit-1", 1);
    CHECK_FALSE(execute::missing_secret(with_env("SALESINT_TEST_SET_TOKEN")));

    Connector none;
    none.system_code = "ERP";
    none.auth_method = "hmac";
    CHECK(execute::missing_secret(none) ==
          "connector ERP authenticates with hmac but names no secret source");

    TempDir dir;
    const std::string path = dir.file("erp.secret");
    CHECK(execute::missing_secret(with_file(path)) ==
          "file " + path +
              " cannot be read: No such file or directory (the secret_file of connector ERP)");
    CHECK(execute::missing_secret(with_file(dir.path())) ==
          "file " + dir.path() + " is not a regular file (the secret_file of connector ERP)");
    write_file(path, "");
    CHECK(execute::missing_secret(with_file(path)) ==
          "file " + path + " is empty (the secret_file of connector ERP)");
    write_file(path, "tok-unit-2\n");
    CHECK_FALSE(execute::missing_secret(with_file(path)));
    if (::geteuid() != 0) {  // root reads any file
        ::chmod(path.c_str(), 0);
        CHECK_THAT(*execute::missing_secret(with_file(path)),
                   Catch::Contains("cannot be read: Permission denied"));
    }
}
