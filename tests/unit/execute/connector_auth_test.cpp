#include <catch2/catch.hpp>

#include <cstdlib>

#include "execute/connector_auth.hpp"
#include "salesint/errors.hpp"

using namespace salesint;
using namespace salesint::execute;

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

}  // namespace

TEST_CASE("each auth method puts the secret in its header, never in the plain headers",
          "[execute][auth]") {
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
          "[execute][auth]") {
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
