// The error layer of salesint: every failure that reaches a user is a
// salesint::Error carrying one of the exit codes below (docs/contracts.md,
// "Exit codes and output"). The core throws them; commands/cli.cpp is the one
// place that turns them into a message and an exit code.
#pragma once

#include <array>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

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

// What a user can do about an error. The core names it; a front end words it
// in its own terms (commands/cli.cpp: a command to run, an option to give),
// about the error's subject: the key of the entity the hint is for.
enum class Hint {
    kNone,
    kAddConnector,        // {code}: no such connector; add it
    kAddConnectorToCall,  // {code}: no such connector to call; add it with its base_url
    kChangeConnector,     // {code}: it exists; change it rather than add it again
    kEnableConnector,     // {code}: it is disabled
    kDisableConnector,    // {code}: still referred to; remove those first, or disable it
    kSetConnectorUrl,     // {code}: it has no base_url
    kSetConnectorSecret,  // {code}: it names no secret source
    kUseSecretSource,     // a credential where a secret source (secret_env, secret_file) belongs
    kRewindCheckpoint,    // {system code, entity type}: only a reset moves it back
    kUseTenant,           // {tenant}: what was given belongs to that tenant
    kCheckpointShape,     // a checkpoint object has the JSON shape the store gives
    kForceRepoint,        // the mapping points elsewhere; repointing is explicit (audited)
    kGiveField,           // {field}: it is needed
    kLeaveOutField,       // {field}: it must not be given here
    kChooseStatePath,     // the state file cannot be used at this path
    kChooseBackupTarget,  // the backup cannot be written there
    kForceOverwrite,      // the target exists; replacing it is explicit
    kCheckAndRestore,     // the state file is damaged: check it, restore a backup
    kListRules,           // a rule id matches none; where the rule ids are listed
    kListSchemas,         // a schema name matches none; where the shipped schemas are listed
    kWriteBaseline,       // a file is not a baseline; what writes one
    kShowExecution,       // {execution id}: where its history is shown
};

// A failure of the core. Its message says what was wrong in the core's own
// terms, the fields and entities of the model and the documents, never a
// command-line option or command, so that any front end can show it; the
// front end adds its own names for the fields and its wording of the hint.
class Error : public std::runtime_error {
  public:
    Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
    ExitCode code() const noexcept { return code_; }

    // The fields of an input that the message mentions, by their names in the
    // JSON shapes and documents (base_url, secret_env, internal_uuid): "base_url
    // must not embed credentials". A front end may call the first mention of
    // each by its own name (--base-url).
    const std::vector<std::string>& fields() const noexcept { return fields_; }
    Hint hint() const noexcept { return hint_; }
    const std::vector<std::string>& subject() const noexcept { return subject_; }

    Error& with_field(std::string field) {
        fields_.push_back(std::move(field));
        return *this;
    }
    Error& with_hint(Hint hint, std::vector<std::string> subject = {}) {
        hint_ = hint;
        subject_ = std::move(subject);
        return *this;
    }

  private:
    ExitCode code_;
    std::vector<std::string> fields_;
    Hint hint_ = Hint::kNone;
    std::vector<std::string> subject_;
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
// refuses to go on with a store it cannot trust; the check of the state file
// reports it as its failed integrity check instead (exit 1).
class StateDamaged : public Error {
  public:
    StateDamaged(const std::string& path, const std::string& detail)
        : Error(ExitCode::kRefused, "the state file " + path + " is damaged (" + detail + ")"),
          detail_(detail) {
        with_hint(Hint::kCheckAndRestore, {path});
    }
    // The backend's own words, e.g. "database disk image is malformed".
    const std::string& detail() const noexcept { return detail_; }

  private:
    std::string detail_;
};

}  // namespace salesint
