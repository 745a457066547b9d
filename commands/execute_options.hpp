// The options `execute` and `execution retry` share: how a live call is made
// (attempts, timeouts, backoff, rate limit, breaker) and the run's context.
#pragma once

#include <string>

#include "command.hpp"
#include "salesint/execute/executor.hpp"

namespace salesint::cli {

struct ExecuteFlags {
    std::string id;
    std::string input;
    std::string batch;
    std::string message_id;
    std::string correlation_id;
    std::string causation_id;
    bool live = false;
    std::string connector;
    bool dry_run = false;
    std::string now;
    std::string roster;
    int max_attempts = 0;  // 0: the adapter's
    std::string timeout;
    std::string backoff;
    std::string max_backoff;
    int rate_limit = 0;  // 0: the adapter's
    int breaker_min_calls = 5;
    std::string breaker_wait = "30s";
    std::string max_age = "300s";
    int max_slots = 0;  // 0: the adapter's
};

// The executor's options from the flags, with the adapter's defaults.
execute::ExecuteOptions executor_options(const ExecuteFlags& flags,
                                         const execute::AdapterInfo& info);

class Context;

// Prints one outcome; a machine format and a dry run print it whole and
// answer its code, otherwise a failure is the one error line (thrown).
// source names the input in that line.
ExitCode print_single(Context& context, const execute::Outcome& outcome, const std::string& source);

// --connector, --max-attempts, --timeout, --backoff, --max-backoff,
// --rate-limit, --breaker-min-calls, --breaker-wait.
void add_live_options(Command& command, ExecuteFlags& flags);

}  // namespace salesint::cli
