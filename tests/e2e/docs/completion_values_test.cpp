// The checked-in bash completion (completions/salesint.bash) completes values,
// not only commands and flags: Execute IDs and the system codes of the
// connectors in the state file, through the hidden `salesint __complete`.
// Each case sources the script in a bash the test starts and calls its
// completion function as bash does on TAB (COMP_WORDS, COMP_CWORD).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "e2e/seeded_state.hpp"

using namespace salesint::test;

namespace {

// Single quotes for bash.
std::string quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
}

// What TAB offers after words (the last one is the word being completed),
// sorted, one per element.
std::vector<std::string> complete(const std::vector<std::string>& words,
                                  std::map<std::string, std::string> env = {}) {
    std::string array;
    for (const auto& word : words) {
        array += " " + quoted(word);
    }
    const std::string script = "source " + quoted(source_dir() + "/completions/salesint.bash") +
                               "\ncomplete -p salesint >/dev/null || exit 9\nCOMP_WORDS=(salesint" +
                               array + ")\nCOMP_CWORD=" + std::to_string(words.size()) +
                               "\n_salesint\nprintf '%s\\n' \"${COMPREPLY[@]}\" | sort\n";
    env["PATH"] =
        std::filesystem::path(salesint_binary()).parent_path().string() + ":/usr/bin:/bin";
    RunResult result =
        run_program({"/bin/bash", "--norc", "--noprofile", "-c", script}, {"", env, ""});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    std::vector<std::string> offered;
    std::istringstream lines(result.out);
    for (std::string line; std::getline(lines, line);) {
        if (!line.empty()) {
            offered.push_back(line);
        }
    }
    return offered;
}

// Only options are offered (what bash falls back to when no value is known).
bool only_options(const std::vector<std::string>& offered) {
    return !offered.empty() && std::all_of(offered.begin(), offered.end(),
                                           [](const auto& word) { return word.front() == '-'; });
}

}  // namespace

TEST_CASE("bash completes Execute IDs after execute", "[e2e][docs][completion]") {
    CHECK(complete({"execute", "fsm."}) ==
          std::vector<std::string>{"fsm.appointment_scheduled.notify.v1",
                                   "fsm.installation_outcome.notify.v1", "fsm.order.intake.v2",
                                   "fsm.slot.availability.v1"});
    CHECK(complete({"adapters", "describe", "sales.q"}) ==
          std::vector<std::string>{"sales.quote.send_email.v1"});
    // After the ID, the options again.
    auto options = complete({"execute", "fsm.order.intake.v2", "--in"});
    CHECK(options == std::vector<std::string>{"--input"});
}

TEST_CASE("bash completes the connector codes of the state file", "[e2e][docs][completion]") {
    SeededState seeded;  // connectors PYXIS and TEMPO
    RunResult added = seeded.run({"connector", "add", "PAYROLL"});
    REQUIRE(added.exit_code == 0);
    // The state file named on the line, or by SALESINT_STATE.
    CHECK(complete({"--state", seeded.state(), "connector", "show", ""}) ==
          std::vector<std::string>{"PAYROLL", "PYXIS", "TEMPO"});
    CHECK(complete({"connector", "show", "P"}, {{"SALESINT_STATE", seeded.state()}}) ==
          std::vector<std::string>{"PAYROLL", "PYXIS"});
    CHECK(complete({"checkpoint", "get", "T"}, {{"SALESINT_STATE", seeded.state()}}) ==
          std::vector<std::string>{"TEMPO"});
    // Another tenant has none of them.
    CHECK(only_options(complete({"--tenant", "t2", "connector", "show", ""},
                                {{"SALESINT_STATE", seeded.state()}})));
}

TEST_CASE("value completion never creates a state file", "[e2e][docs][completion]") {
    TempDir dir;
    const std::string state = dir.file("typo.db");
    CHECK(only_options(complete({"--state", state, "connector", "show", ""})));
    RunResult direct =
        run_salesint({"--state", state, "__complete", "--", "connector", "show", ""});
    CHECK(direct.exit_code == 0);
    CHECK(direct.out.empty());
    CHECK(direct.err.empty());
    CHECK_FALSE(std::filesystem::exists(state));
    // Execute IDs need no state file at all.
    RunResult ids = run_salesint({"--state", state, "__complete", "--", "execute", "fsm.order"});
    CHECK(ids.out == "fsm.order.intake.v2\n");
    CHECK_FALSE(std::filesystem::exists(state));
}
