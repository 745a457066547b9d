// The error layer of salesint: every failure that reaches a user is a
// salesint::Error carrying one of the exit codes of PRODUCT.md. The core throws
// them; commands/cli.cpp is the one place that turns them into a message and an
// exit code.
#pragma once

#include <array>
#include <stdexcept>
#include <string>

namespace salesint {

enum class ExitCode : int {
    kSuccess = 0,
    kNo = 1,         // the check ran and the answer is no
    kUsage = 2,      // bad flags, or input that cannot be read or parsed
    kNotFound = 3,   // the named thing does not exist
    kRefused = 4,    // conflict or refusal: regression, duplicate, newer schema
    kTransient = 5,  // safe to retry: remote down, circuit open, rate limit, lock
};

struct ExitCodeDoc {
    ExitCode code;
    const char* meaning;
};

// The table documented in the man page and --help; order is by code.
inline constexpr std::array<ExitCodeDoc, 6> kExitCodeDocs{{
    {ExitCode::kSuccess, "success"},
    {ExitCode::kNo,
     "the check or operation ran and the answer is no: signature invalid, contract violations, "
     "execution failed permanently, state check failed"},
    {ExitCode::kUsage,
     "usage or input error: bad flags, input that cannot be read or parsed (the message names "
     "the file and line)"},
    {ExitCode::kNotFound, "not found (the message names what was not found)"},
    {ExitCode::kRefused,
     "refused or conflict: checkpoint regression, duplicate, state file newer than the binary, "
     "state file damaged, state file of another user that others can read"},
    {ExitCode::kTransient,
     "transient: remote unavailable after retries, circuit open, rate limited, state locked too "
     "long, disk full (safe to retry)"},
}};

class Error : public std::runtime_error {
  public:
    Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
    ExitCode code() const noexcept { return code_; }

  private:
    ExitCode code_;
};

// Named constructors keep call sites short and the intent obvious.
inline Error usage_error(const std::string& message) {
    return {ExitCode::kUsage, message};
}
inline Error not_found(const std::string& message) {
    return {ExitCode::kNotFound, message};
}
inline Error refused(const std::string& message) {
    return {ExitCode::kRefused, message};
}
inline Error transient(const std::string& message) {
    return {ExitCode::kTransient, message};
}
inline Error answer_no(const std::string& message) {
    return {ExitCode::kNo, message};
}

// The state file is damaged (corrupt pages, or a mangled header on a file that
// is a state file). Every command reports it in one line and exits 4: salesint
// refuses to go on with a store it cannot trust; `state check` reports it as
// its failed integrity check instead (exit 1).
class StateDamaged : public Error {
  public:
    StateDamaged(const std::string& path, const std::string& detail)
        : Error(ExitCode::kRefused, "the state file " + path + " is damaged (" + detail +
                                        "); run 'salesint state check' and restore from a backup "
                                        "('salesint state backup')"),
          detail_(detail) {}
    // The backend's own words, e.g. "database disk image is malformed".
    const std::string& detail() const noexcept { return detail_; }

  private:
    std::string detail_;
};

}  // namespace salesint
