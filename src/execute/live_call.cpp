// Live mode of Executor: rate limit, circuit breaker, POST with retries, and
// the DLQ entry of a call that failed for good.
#include <chrono>

#include "salesint/delivery/sender.hpp"
#include "salesint/execute/connector_auth.hpp"
#include "salesint/execute/executor.hpp"
#include "salesint/util/strings.hpp"

namespace salesint::execute {
namespace {

std::int64_t unix_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string seconds(std::int64_t ms) {
    return std::to_string((ms + 999) / 1000) + " s";
}

Outcome not_attempted(Outcome outcome, ExecutionStatus status, const char* code,
                      const std::string& message, const RunContext& context) {
    outcome.status = status;
    outcome.exit_code = ExitCode::kTransient;
    outcome.error_code = code;
    outcome.error = error_response(Failure{code, message, {}}, context.correlation_id, context.now);
    outcome.summary = std::string(code) + ": " + message;
    return outcome;
}

// The code of a call that failed for good (live_error_codes()): an error
// response that names one of the adapter's own codes keeps it.
std::string error_code_of(const AdapterInfo& info, delivery::SendOutcome outcome,
                          const delivery::SendAttempt& last, const std::string& response_body) {
    if (outcome == delivery::SendOutcome::kBlocked) {
        return "CIRCUIT_OPEN";
    }
    if (last.status == 0) {
        return starts_with(last.error, "timeout") ? "TIMEOUT" : "SERVICE_UNAVAILABLE";
    }
    if (last.status == 408) {
        return "TIMEOUT";
    }
    if (last.status == 429) {
        return "RATE_LIMIT_EXCEEDED";
    }
    if (last.status >= 500) {
        return "SERVICE_UNAVAILABLE";
    }
    const OrderedJson answer = OrderedJson::parse(response_body, nullptr, false);
    if (answer.is_object() && answer.contains("error") && answer["error"].is_object()) {
        const std::string code = answer["error"].value("code", std::string());
        for (const ErrorCodeDoc& doc : info.errors) {
            if (!code.empty() && code == doc.code) {
                return code;
            }
        }
    }
    return "REJECTED";
}

std::vector<ExecutionAttempt> attempt_log(const std::vector<delivery::SendAttempt>& attempts) {
    std::vector<ExecutionAttempt> log;
    for (const delivery::SendAttempt& sent : attempts) {
        const std::optional<int> status =
            sent.status > 0 ? std::optional<int>(static_cast<int>(sent.status)) : std::nullopt;
        log.push_back(
            ExecutionAttempt{0, sent.number, sent.at, status, sent.duration_ms, sent.error});
    }
    return log;
}

}  // namespace

Outcome Executor::run_live(const Json& input, RunContext& context, Outcome outcome,
                           const std::string& input_sha256,
                           const std::optional<Execution>& previous) {
    const AdapterInfo& info = adapter_.info();
    const std::string code =
        options_.connector.empty() ? adapter_.live_connector(input) : options_.connector;
    if (code.empty()) {
        throw usage_error(info.id + " needs a connector in live mode")
            .with_hint(Hint::kGiveField, {"connector"});
    }
    if (store_ == nullptr) {
        throw usage_error("live mode needs a state file (connectors, breaker, rate limit)");
    }
    std::optional<Connector> connector = store_->find_connector(code);
    if (!connector) {
        throw not_found("no connector " + code + " for tenant '" + store_->tenant() + "'")
            .with_hint(Hint::kAddConnectorToCall, {code});
    }
    if (!connector->is_active) {
        throw refused("connector " + code + " is disabled")
            .with_hint(Hint::kEnableConnector, {code});
    }
    if (connector->base_url.empty()) {
        throw usage_error("connector " + code + " has no base_url")
            .with_hint(Hint::kSetConnectorUrl, {code});
    }
    outcome.connector = code;
    LiveRequest request = adapter_.live_request(input, context, *connector);
    authenticate(request, *connector);  // a missing secret stops a dry run too
    if (options_.dry_run) {
        outcome.request = request;
        outcome.writes = {"rate_limit_windows execute:" + info.id,
                          "circuit_breakers " + code + " (before and after each attempt)"};
        outcome.status = ExecutionStatus::kPlanned;
        outcome.summary = "would POST to " + request.url;
        return outcome;
    }

    // The tenant's rate limit for this adapter, shared through the state file.
    const std::string scope = "execute:" + info.id;
    RateDecision rate;
    store_->write([&] {
        RateWindow window = store_->load_rate_window(scope);
        rate = admit_request(options_.rate_limit, window, unix_ms());
        if (rate.allowed) {
            store_->save_rate_window(scope, window);
        }
    });
    if (!rate.allowed) {
        return not_attempted(std::move(outcome), ExecutionStatus::kRateLimited,
                             "RATE_LIMIT_EXCEEDED",
                             "more than " + std::to_string(rate.limit) + " calls a minute of " +
                                 info.id + " for tenant '" + context.tenant + "'; retry in " +
                                 std::to_string(rate.retry_after) + " s",
                             context);
    }

    // The connector's breaker: asked before every attempt, told after each.
    const BreakerPolicy& policy = options_.breaker;
    BreakerAdmission admission;
    auto ask_breaker = [&] {
        store_->write([&] {
            Breaker breaker = store_->load_breaker(code);
            admission = admit_call(policy, breaker, unix_ms());
            store_->save_breaker(breaker);
        });
        return admission.allowed;
    };
    if (!ask_breaker()) {
        return not_attempted(std::move(outcome), ExecutionStatus::kCircuitOpen, "CIRCUIT_OPEN",
                             "the circuit breaker of connector " + code +
                                 " is open after repeated failures; next try allowed in " +
                                 seconds(admission.retry_after_ms),
                             context);
    }

    delivery::SendRequest send;
    send.url = request.url;
    send.scheme = request.scheme;
    send.secret = request.secret;
    send.payload = request.body;
    send.delivery_id = request.delivery_id.empty() ? context.message_id : request.delivery_id;
    send.correlation_id =
        request.correlation_id.empty() ? context.correlation_id : request.correlation_id;
    send.extra_headers = request.headers;
    send.secret_headers = request.secret_headers;
    send.delivered_statuses = request.delivered_statuses;
    send.max_attempts = options_.retry.max_attempts;
    send.timeout = options_.retry.timeout;
    send.backoff = {options_.retry.backoff, options_.retry.max_backoff};
    send.on_retry = options_.on_retry;
    bool first = true;
    send.may_attempt = [&] {
        if (first) {
            first = false;  // admitted above
            return true;
        }
        return ask_breaker();
    };
    send.after_attempt = [&](const delivery::SendAttempt&, bool transient_failure) {
        store_->write([&] {
            Breaker breaker = store_->load_breaker(code);
            record_call(policy, breaker, unix_ms(), transient_failure);
            store_->save_breaker(breaker);
        });
    };
    const auto started = std::chrono::steady_clock::now();
    delivery::SendResult sent = delivery::send(send);
    outcome.attempts = static_cast<int>(sent.attempts.size());
    outcome.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::steady_clock::now() - started)
                              .count();
    outcome.attempt_log = attempt_log(sent.attempts);

    if (sent.outcome == delivery::SendOutcome::kDelivered) {
        Result result = adapter_.live_result(input, context, sent.response_body);
        const ExecutionStatus status =
            result.failure ? ExecutionStatus::kFailed : ExecutionStatus::kSucceeded;
        return record(std::move(outcome), status, context, input_sha256, std::move(result),
                      std::nullopt, previous);
    }
    DlqEntry entry = delivery::dead_letter(send, sent);
    entry.source = "execute";
    entry.adapter_id = info.id;
    entry.message_id = context.message_id;
    entry.causation_id = context.causation_id;
    entry.connector_code = code;  // so that the DLQ can be read by connector
    entry.payload = std::string(context.canonical_input);
    Failure failure;
    failure.code = error_code_of(info, sent.outcome, sent.attempts.back(), sent.response_body);
    if (sent.outcome == delivery::SendOutcome::kBlocked) {
        failure.message = "the circuit breaker of connector " + code + " opened after " +
                          std::to_string(sent.attempts.size()) +
                          " attempts: " + delivery::describe_attempt(sent.attempts.back());
        entry.error_message = failure.message;
    } else {
        failure.message = entry.error_message;
    }
    if (sent.attempts.back().status > 0) {
        failure.details.push_back(
            {"", "", "HTTP " + std::to_string(sent.attempts.back().status) + " from " + code});
    }
    entry.error_code = failure.code;
    const ExecutionStatus status = sent.outcome == delivery::SendOutcome::kRefused
                                       ? ExecutionStatus::kFailed
                                       : ExecutionStatus::kDeadLettered;
    Result result;
    result.failure = failure;
    return record(std::move(outcome), status, context, input_sha256, std::move(result), entry,
                  previous);
}

}  // namespace salesint::execute
