// What connector commands print: the JSON shape of a connector, without its
// secret, and changes limited to the fields given.
#include <catch2/catch.hpp>

#include "e2e/output_shapes.hpp"
#include "e2e/seeded_state.hpp"

using namespace salesint::test;

TEST_CASE("connector show -o json has every field, and no secret", "[e2e][output][backends]") {
    SeededState seeded;
    nlohmann::json c = seeded.run({"connector", "show", "PYXIS", "-o", "json"}).json();
    CHECK(c["tenant_id"] == "default");
    CHECK(c["system_code"] == "PYXIS");
    CHECK(c["name"] == "Pyxis sales");
    CHECK(c["is_active"] == true);
    CHECK(c["connection_type"].is_null());
    CHECK(c["base_url"] == "https://pyxis.example.com/api");
    CHECK(c["auth_method"] == "hmac");
    CHECK(c["poll_interval_minutes"].is_null());
    CHECK(c["secret_env"] == "PYXIS_WEBHOOK_SECRET");
    CHECK(c["secret_file"].is_null());
    CHECK(c["auth_header"].is_null());
    CHECK(c["health_path"].is_null());
    CHECK(is_time(c["created_at"]));
    CHECK(is_time(c["updated_at"]));
    CHECK(c["breaker"] == nlohmann::json::parse(R"({"state": "closed", "window_calls": 0,
        "window_failures": 0, "failure_rate": 0.0, "opened_at": null, "next_probe_at": null})"));
    CHECK(c.size() == 15);

    nlohmann::json list = seeded.run({"connector", "list", "-o", "json"}).json();
    REQUIRE(list.is_array());
    REQUIRE(list.size() == 2);
    CHECK(list[0]["system_code"] == "PYXIS");
    CHECK(list[1]["system_code"] == "TEMPO");
}

TEST_CASE("connector set changes only the fields given", "[e2e][output][backends]") {
    SeededState seeded;
    nlohmann::json c =
        seeded.run({"connector", "set", "PYXIS", "--poll-interval", "5", "-o", "json"}).json();
    CHECK(c["poll_interval_minutes"] == 5);
    CHECK(c["name"] == "Pyxis sales");
    CHECK(c["base_url"] == "https://pyxis.example.com/api");
    nlohmann::json disabled = seeded.run({"connector", "disable", "PYXIS", "-o", "json"}).json();
    CHECK(disabled["is_active"] == false);
    nlohmann::json file =
        seeded
            .run({"connector", "set", "PYXIS", "--secret-file", "/run/secrets/pyxis", "-o", "json"})
            .json();
    CHECK(file["secret_file"] == "/run/secrets/pyxis");
    CHECK(file["secret_env"].is_null());  // one secret source at a time
}
