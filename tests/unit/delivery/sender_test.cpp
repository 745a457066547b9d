// What a delivery that failed for good leaves in the DLQ
// (src/delivery/sender.cpp): everything a replay needs, never the signature
// headers, which a replay computes again with the secret of its day.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "salesint/delivery/sender.hpp"
#include "salesint/webhooks/scheme.hpp"

using namespace salesint;
using namespace salesint::delivery;

namespace {

SendAttempt attempt(int number, long status, const std::string& error, const std::string& at) {
    SendAttempt made;
    made.number = number;
    made.status = status;
    made.error = error;
    made.at = at;
    made.duration_ms = 12;
    return made;
}

SendRequest request_signed_by(const webhooks::Scheme* scheme) {
    SendRequest request;
    request.url = "http://127.0.0.1:9/hook";
    request.scheme = scheme;
    request.payload = R"({"id":1})";
    request.delivery_id = "msg_1";
    request.correlation_id = "corr-1";
    return request;
}

}  // namespace

TEST_CASE("a dead letter keeps what a replay needs and drops the signature headers", "[delivery]") {
    const webhooks::Scheme& stripe = webhooks::scheme_named("stripe");
    const SendRequest request = request_signed_by(&stripe);
    SendResult result;
    result.outcome = SendOutcome::kExhausted;
    result.attempts = {attempt(1, 503, "", "2026-11-30T10:00:00Z"),
                       attempt(2, 0, "timeout after 30000 ms", "2026-11-30T10:00:01Z")};
    result.headers = {{"stripe-signature", "t=1,v1=abc"},
                      {"Content-Type", "application/json"},
                      {"X-Correlation-ID", "corr-1"}};

    const DlqEntry entry = dead_letter(request, result);
    CHECK(entry.source == "webhook_send");
    CHECK(entry.adapter_id == "webhook:stripe");
    CHECK(entry.message_id == "msg_1");
    CHECK(entry.correlation_id == "corr-1");
    CHECK(entry.target_url == request.url);
    CHECK(entry.payload == request.payload);
    CHECK(entry.error_code == "TIMEOUT");
    CHECK(entry.error_message == "gave up after 2 attempts: timeout after 30000 ms");
    CHECK(entry.first_failed_at == "2026-11-30T10:00:00Z");
    CHECK(entry.last_failed_at == "2026-11-30T10:00:01Z");

    // Signature headers are matched whatever their case.
    const auto headers = nlohmann::json::parse(entry.headers_json);
    CHECK_FALSE(headers.contains("stripe-signature"));
    CHECK_FALSE(headers.contains("Stripe-Signature"));
    CHECK(headers["Content-Type"] == "application/json");
    const auto attempts = nlohmann::json::parse(entry.attempts_json);
    REQUIRE(attempts.size() == 2);
    CHECK(attempts[0]["status"] == 503);
    CHECK(attempts[1]["status"].is_null());
    CHECK(attempts[1]["error"] == "timeout after 30000 ms");
}

TEST_CASE("a refused delivery is named by its status, an unsigned one by 'webhook'", "[delivery]") {
    const SendRequest request = request_signed_by(nullptr);
    SendResult result;
    result.outcome = SendOutcome::kRefused;
    result.attempts = {attempt(1, 400, "bad request", "2026-11-30T10:00:00Z")};
    const DlqEntry entry = dead_letter(request, result);
    CHECK(entry.adapter_id == "webhook");
    CHECK(entry.error_code == "HTTP_400");
    CHECK(entry.error_message == "refused: HTTP 400: bad request");
}

TEST_CASE("an attempt's error code and description", "[delivery]") {
    CHECK(attempt_error_code(attempt(1, 503, "", "")) == "HTTP_503");
    CHECK(attempt_error_code(attempt(1, 0, "timeout after 5 ms", "")) == "TIMEOUT");
    CHECK(attempt_error_code(attempt(1, 0, "Could not connect to server", "")) == "NETWORK");
    CHECK(describe_attempt(attempt(1, 502, "", "")) == "HTTP 502");
    CHECK(describe_attempt(attempt(1, 0, "Could not connect", "")) == "Could not connect");
}
