// Helpers shared by the webhook end-to-end tests.
#pragma once

#include <ctime>
#include <map>
#include <string>
#include <vector>

#include "e2e/seeded_state.hpp"

namespace salesint::test {

// A Standard Webhooks secret that every test passes through $WEBHOOK_SECRET;
// the leak test looks for it everywhere.
inline constexpr const char* kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
inline constexpr const char* kPlainSecret = "s3cr3t-Plain-Value-0042";

inline std::map<std::string, std::string> secret_env() {
    return {{"WEBHOOK_SECRET", kSecret}, {"PLAIN_SECRET", kPlainSecret}, {"USER", "tester"}};
}

inline std::string unix_now() {
    return std::to_string(std::time(nullptr));
}

// The headers `salesint webhook sign` prints, as -H arguments for verify.
inline std::vector<std::string> signed_header_args(
    const std::string& scheme, const std::string& payload_file, const std::string& timestamp,
    const std::string& id, const std::string& secret_env_var = "WEBHOOK_SECRET") {
    RunResult signed_headers =
        run_salesint({"webhook", "sign", "--scheme", scheme, "--secret-env", secret_env_var,
                      "--payload", payload_file, "--timestamp", timestamp, "--id", id},
                     {"", secret_env(), ""});
    std::vector<std::string> args;
    std::istringstream lines(signed_headers.out);
    std::string line;
    while (std::getline(lines, line)) {
        args.push_back("-H");
        args.push_back(line);
    }
    return args;
}

}  // namespace salesint::test
