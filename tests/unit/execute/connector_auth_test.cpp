// A connector's secret as live calls and `salesint health` look for it
// (src/execute/connector_auth.cpp): where each auth method puts it, which
// methods need one, and why one is missing, named by its source and never by
// its value.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>

#include "salesint/errors.hpp"
#include "salesint/execute/connector_auth.hpp"
#include "support/temp_state.hpp"

using namespace salesint;
using namespace salesint::execute;
using salesint::test::TempDir;
using salesint::test::write_file;

namespace {

// A variable of this test process's environment for one scope.
class ScopedEnv {
  public:
    ScopedEnv(const char* name, const char* value) : name_(name) { ::setenv(name, value, 1); }
    ~ScopedEnv() { ::unsetenv(name_); }

  private:
    const char* name_;
};

Connector connector(const std::string& method) {
    Connector c;
    c.system_code = "ERP";
    c.auth_method = method;
    c.secret_env = "SALESINT_UNIT_AUTH";
    return c;
}

std::string secret_header(const LiveRequest& request, const std::string& name) {
    for (const auto& header : request.secret_headers) {
        if (header.name == name) {
            return header.value;
        }
    }
    return "(none)";
}

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

TEST_CASE("each auth method puts the secret in its header, never in the plain headers",
          "[execute][auth][backends]") {
    ScopedEnv env("SALESINT_UNIT_AUTH", "user:s3cret");
    LiveRequest bearer;
    authenticate(bearer, connector("bearer"));
    CHECK(secret_header(bearer, "Authorization") == "Bearer user:s3cret");
    CHECK(bearer.headers.empty());

    LiveRequest basic;
    authenticate(basic, connector("basic"));
    CHECK(secret_header(basic, "Authorization") == "Basic dXNlcjpzM2NyZXQ=");

    LiveRequest key;
    authenticate(key, connector("api_key"));
    CHECK(secret_header(key, kDefaultApiKeyHeader) == "user:s3cret");
    Connector named = connector("api_key");
    named.auth_header = "X-Erp-Key";
    LiveRequest named_key;
    authenticate(named_key, named);
    CHECK(secret_header(named_key, "X-Erp-Key") == "user:s3cret");

    LiveRequest hmac;
    authenticate(hmac, connector("hmac"));
    CHECK(hmac.secret_headers.empty());
    REQUIRE(hmac.scheme != nullptr);
    CHECK(std::string(hmac.scheme->name()) == kDefaultHmacScheme);
    CHECK(hmac.secret.value == "user:s3cret");
    CHECK(hmac.secret.source == "env SALESINT_UNIT_AUTH");

    for (const char* none : {"", "none"}) {
        LiveRequest request;
        authenticate(request, connector(none));
        CHECK(request.secret_headers.empty());
        CHECK(request.scheme == nullptr);
    }
}

TEST_CASE("a secret that is not there is a usage error naming its source, not its value",
          "[execute][auth][backends]") {
    ::unsetenv("SALESINT_UNIT_AUTH");
    LiveRequest request;
    try {
        authenticate(request, connector("bearer"));
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::kUsage);
        CHECK_THAT(e.what(), Catch::Contains("environment variable SALESINT_UNIT_AUTH is not set"));
    }
    Connector sourceless = connector("bearer");
    sourceless.secret_env.clear();
    CHECK_THROWS_WITH(authenticate(request, sourceless), Catch::Contains("names no secret source"));

    ScopedEnv env("SALESINT_UNIT_AUTH", "no-colon-here");
    try {
        authenticate(request, connector("basic"));
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::kUsage);
        CHECK_THAT(e.what(), Catch::Contains("user:password"));
        CHECK_THAT(e.what(), !Catch::Contains("no-colon-here"));
    }
    CHECK_THROWS_WITH(authenticate(request, connector("oauth2")), Catch::Contains("bearer"));
}

TEST_CASE("bearer, basic, api_key and hmac need a secret", "[execute][auth][backends]") {
    for (const char* method : {"bearer", "basic", "api_key", "hmac"}) {
        CHECK(needs_secret(method));
    }
    for (const char* method : {"", "none", "oauth2"}) {
        CHECK_FALSE(needs_secret(method));
    }
}

TEST_CASE("a missing secret is named by its source, never by its value",
          "[execute][auth][backends]") {
    ::unsetenv("SALESINT_TEST_UNSET_TOKEN");
    CHECK(missing_secret(with_env("SALESINT_TEST_UNSET_TOKEN")) ==
          "environment variable SALESINT_TEST_UNSET_TOKEN is not set (the secret_env of "
          "connector ERP)");
    ::setenv("SALESINT_TEST_EMPTY_TOKEN", "", 1);
    CHECK(missing_secret(with_env("SALESINT_TEST_EMPTY_TOKEN")) ==
          "environment variable SALESINT_TEST_EMPTY_TOKEN is empty (the secret_env of connector "
          "ERP)");
    ::setenv("SALESINT_TEST_SET_TOKEN", "tok-unit-1", 1);
    CHECK_FALSE(missing_secret(with_env("SALESINT_TEST_SET_TOKEN")));

    Connector none;
    none.system_code = "ERP";
    none.auth_method = "hmac";
    CHECK(missing_secret(none) ==
          "connector ERP authenticates with hmac but names no secret source");

    TempDir dir;
    const std::string path = dir.file("erp.secret");
    CHECK(missing_secret(with_file(path)) ==
          "file " + path +
              " cannot be read: No such file or directory (the secret_file of connector ERP)");
    CHECK(missing_secret(with_file(dir.path())) ==
          "file " + dir.path() + " is not a regular file (the secret_file of connector ERP)");
    write_file(path, "");
    CHECK(missing_secret(with_file(path)) ==
          "file " + path + " is empty (the secret_file of connector ERP)");
    write_file(path, "tok-unit-2\n");
    CHECK_FALSE(missing_secret(with_file(path)));
    if (::geteuid() != 0) {  // root reads any file
        ::chmod(path.c_str(), 0);
        CHECK_THAT(*missing_secret(with_file(path)),
                   Catch::Contains("cannot be read: Permission denied"));
    }
}
