// A stored delivery sent on (src/delivery/forward.cpp): the request carries
// the headers it came with, credentials kept out of what is recorded; its
// dead letter holds neither signatures nor credentials; and the record of a
// delivery, delivered or not.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "salesint/delivery/forward.hpp"
#include "salesint/webhooks/scheme.hpp"

using namespace salesint;
using namespace salesint::delivery;

namespace {

InboxEntry stored_delivery() {
    InboxEntry entry;
    entry.id = 7;
    entry.delivery_id = "msg_1";
    entry.scheme = "standard";
    entry.headers_json =
        nlohmann::json{
            {"webhook-id", "msg_1"},          {"webhook-timestamp", "1767225600"},
            {"webhook-signature", "v1,AAAA"}, {"Content-Type", "application/cloudevents+json"},
            {"X-Correlation-ID", "corr-9"},   {"Authorization", "Bearer t0ken"},
            {"User-Agent", "pyxis/2"}}
            .dump();
    entry.body = R"({"id":1})";
    entry.verdict = "valid";
    return entry;
}

bool has(const net::HeaderList& headers, const std::string& name) {
    for (const auto& header : headers) {
        if (header.name == name) {
            return true;
        }
    }
    return false;
}

SendAttempt attempt(int number, long status, const std::string& at) {
    SendAttempt made;
    made.number = number;
    made.status = status;
    made.error = status > 0 ? "" : "connection refused";
    made.at = at;
    made.duration_ms = 10;
    return made;
}

}  // namespace

TEST_CASE("a forward is unsigned and carries the stored headers", "[delivery][inbox]") {
    ForwardPolicy policy;
    policy.max_attempts = 3;
    SendRequest request = forward_request(stored_delivery(), "http://127.0.0.1:9/in", policy);
    CHECK(request.scheme == nullptr);
    CHECK(request.payload == R"({"id":1})");
    CHECK(request.delivery_id == "msg_1");
    CHECK(request.max_attempts == 3);
    CHECK(request.content_type == "application/cloudevents+json");
    CHECK(request.correlation_id == "corr-9");
    CHECK(has(request.extra_headers, "webhook-signature"));  // sent on as it came
    CHECK(has(request.extra_headers, "User-Agent"));
    CHECK_FALSE(has(request.extra_headers, "Content-Type"));  // the sender sets it once
    CHECK_FALSE(has(request.extra_headers, "Authorization"));
    CHECK(has(request.secret_headers, "Authorization"));  // sent, never recorded

    InboxEntry envelope;
    envelope.delivery_id = "m-1";
    envelope.scheme = "envelope";
    SendRequest plain = forward_request(envelope, "http://127.0.0.1:9/in", policy);
    CHECK(plain.correlation_id == "m-1");
    CHECK(plain.content_type == "application/json");
    CHECK(plain.extra_headers.empty());
}

TEST_CASE("an inbox dead letter holds neither signatures nor credentials", "[delivery][inbox]") {
    const InboxEntry entry = stored_delivery();
    SendRequest request = forward_request(entry, "http://127.0.0.1:9/in", ForwardPolicy{});
    SendResult result;
    result.outcome = SendOutcome::kExhausted;
    result.attempts = {attempt(1, 503, "2026-01-01T00:00:00Z"),
                       attempt(2, 0, "2026-01-01T00:00:01Z")};
    DlqEntry dead = inbox_dead_letter(entry, request, result);
    CHECK(dead.source == "inbox");
    CHECK(dead.adapter_id == "inbox:standard");
    CHECK(dead.message_id == "msg_1");
    CHECK(dead.correlation_id == "corr-9");
    CHECK(dead.target_url == "http://127.0.0.1:9/in");
    CHECK(dead.payload == entry.body);
    CHECK(dead.error_code == "NETWORK");
    CHECK(dead.first_failed_at == "2026-01-01T00:00:00Z");
    CHECK(dead.last_failed_at == "2026-01-01T00:00:01Z");
    auto headers = nlohmann::json::parse(dead.headers_json);
    CHECK(headers.contains("webhook-id"));
    CHECK(headers.contains("User-Agent"));
    CHECK_FALSE(headers.contains("webhook-signature"));
    CHECK_FALSE(headers.contains("Authorization"));
    CHECK(nlohmann::json::parse(dead.attempts_json).size() == 2);
}

TEST_CASE("every delivery is recorded with its outcome and last status", "[delivery][inbox]") {
    SendRequest request;
    request.url = "http://127.0.0.1:9/in";
    request.delivery_id = "msg_2";
    request.scheme = &webhooks::scheme_named("stripe");
    SendResult result;
    result.outcome = SendOutcome::kDelivered;
    result.attempts = {attempt(1, 502, "2026-01-01T00:00:00Z"),
                       attempt(2, 200, "2026-01-01T00:00:02Z")};
    WebhookDelivery record = delivery_record(request, result, "send");
    CHECK(record.delivery_id == "msg_2");
    CHECK(record.source == "send");
    CHECK(record.scheme == "stripe");
    CHECK(record.outcome == "delivered");
    CHECK(record.attempts == 2);
    CHECK(record.http_status == 200);
    CHECK(record.duration_ms == 20);
    CHECK(record.at == "2026-01-01T00:00:02Z");

    result.outcome = SendOutcome::kExhausted;
    result.attempts = {attempt(1, 0, "2026-01-01T00:00:00Z")};
    request.scheme = nullptr;
    record = delivery_record(request, result, "drain");
    CHECK(record.outcome == "exhausted");
    CHECK(record.scheme.empty());
    CHECK_FALSE(record.http_status.has_value());
}

TEST_CASE("a rejected delivery is never forwarded", "[delivery][inbox]") {
    InboxEntry rejected = stored_delivery();
    rejected.verdict = "rejected";
    rejected.reason = "invalid_signature: the signature does not match";
    bool touched = false;
    const WithStore with_store = [&](const std::function<void(Store&)>&) { touched = true; };
    try {
        forward(rejected, "http://127.0.0.1:9/in", ForwardPolicy{}, "forward", true, with_store);
        FAIL("expected a refusal");
    } catch (const Error& error) {
        CHECK(error.code() == ExitCode::kRefused);
    }
    CHECK_FALSE(touched);
}
