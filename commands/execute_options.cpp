#include "execute_options.hpp"

#include <iostream>

#include "context.hpp"
#include "option_values.hpp"
#include "salesint/execute/registry.hpp"
#include "salesint/util/clock.hpp"
#include "salesint/util/files.hpp"
#include "salesint/util/json_text.hpp"
#include "salesint/util/log.hpp"

namespace salesint::cli {

execute::ExecuteOptions executor_options(const ExecuteFlags& flags,
                                         const execute::AdapterInfo& info) {
    execute::ExecuteOptions options;
    options.message_id = flags.message_id;
    options.correlation_id = flags.correlation_id;
    options.causation_id = flags.causation_id;
    options.live = flags.live;
    options.connector = flags.connector;
    options.dry_run = flags.dry_run;
    if (!flags.now.empty()) {
        auto instant = parse_rfc3339(flags.now);
        if (!instant) {
            throw usage_error("--now: '" + flags.now + "' is not an RFC 3339 time");
        }
        options.now = format_rfc3339_utc(*instant);
    }
    if (flags.roster.empty()) {
        options.roster_text = std::string(execute::embedded_fixture(execute::kDefaultRoster));
        options.roster_source = std::string(execute::kDefaultRoster) + " (built in)";
    } else {
        options.roster_text = read_json_bytes(flags.roster);
        options.roster_source = display_name(flags.roster);
    }
    options.retry = info.retry;
    if (flags.max_attempts != 0) {
        if (flags.max_attempts < 1) {
            throw usage_error("--max-attempts must be at least 1");
        }
        options.retry.max_attempts = flags.max_attempts;
    }
    if (!flags.timeout.empty()) {
        options.retry.timeout = duration_option(flags.timeout, "--timeout");
    }
    if (!flags.backoff.empty()) {
        options.retry.backoff = duration_option(flags.backoff, "--backoff");
    }
    if (!flags.max_backoff.empty()) {
        options.retry.max_backoff = duration_option(flags.max_backoff, "--max-backoff");
    }
    options.rate_limit.per_minute =
        flags.rate_limit != 0 ? flags.rate_limit : info.rate_limit_per_minute;
    if (options.rate_limit.per_minute < 1) {
        throw usage_error("--rate-limit must be at least 1");
    }
    if (flags.breaker_min_calls < 1) {
        throw usage_error("--breaker-min-calls must be at least 1");
    }
    options.breaker.min_calls = flags.breaker_min_calls;
    options.breaker.wait_ms = duration_option(flags.breaker_wait, "--breaker-wait").count();
    options.max_age = std::chrono::duration_cast<std::chrono::seconds>(
        duration_option(flags.max_age, "--max-age"));
    options.max_slots = flags.max_slots;
    options.on_retry = [](const std::string& message) { log::warn(message); };
    return options;
}

// A machine format and a dry run print the outcome whole and answer its
// code; otherwise a failure is the one error line. Text is the same record as
// JSON for people: "key: value" lines, the output object indented below.
ExitCode print_single(Context& context, const execute::Outcome& outcome,
                      const std::string& source) {
    if (context.format() != OutputFormat::kText) {
        context.print_object(execute::outcome_record(outcome));
        return outcome.exit_code;
    }
    if (outcome.dry_run) {
        OrderedJson record = execute::outcome_record(outcome);
        record["summary"] = outcome.summary;
        render_summary(std::cout, record);
        return outcome.exit_code;
    }
    if (is_recorded(outcome.status)) {
        render_summary(std::cout, execute::outcome_record(outcome));
    }
    if (outcome.exit_code != ExitCode::kSuccess) {
        std::string message = source + ": " + outcome.summary;
        if (outcome.replayed && outcome.mode == ExecutionMode::kLive &&
            outcome.status != ExecutionStatus::kSucceeded) {
            // Running it again needs the same Idempotency-Key, not a new message id.
            message += "; 'salesint execution retry " + outcome.execution_id +
                       "' runs it again under the same message id";
        }
        throw Error(outcome.exit_code, message);
    }
    return ExitCode::kSuccess;
}

void add_live_options(Command& command, ExecuteFlags& flags) {
    command
        .option("--connector", flags.connector,
                "Live: the connector to call (default: the adapter's)")
        .type_name("CODE")
        .identifier();
    command.option("--max-attempts", flags.max_attempts, "Live: attempts before giving up")
        .type_name("N")
        .range(1, 100);
    command.option("--timeout", flags.timeout, "Live: time limit of one attempt")
        .type_name("DURATION");
    command.option("--backoff", flags.backoff, "Live: base of the exponential backoff")
        .type_name("DURATION");
    command.option("--max-backoff", flags.max_backoff, "Live: longest wait between attempts")
        .type_name("DURATION");
    command
        .option("--rate-limit", flags.rate_limit,
                "Live: calls a minute per tenant (default: the adapter's)")
        .type_name("N")
        .range(1, 1000000);
    command
        .option("--breaker-min-calls", flags.breaker_min_calls,
                "Live: calls in the 60 s window before the breaker may open")
        .type_name("N")
        .range(1, 1000000);
    command
        .option("--breaker-wait", flags.breaker_wait,
                "Live: how long an open breaker refuses calls before a probe")
        .type_name("DURATION");
}

}  // namespace salesint::cli
