// The man page and the shell completions are generated from the command tree;
// the checked-in copies must equal what the binary prints, and must work.
#include <unistd.h>

#include <catch2/catch.hpp>

#include "support/run.hpp"
#include "support/temp_state.hpp"

using namespace salesint::test;

namespace {

bool have(const std::string& program) {
    return run_program({"/bin/sh", "-c", "command -v " + program}).exit_code == 0;
}

const char* kRegenerate =
    "regenerate with: build/salesint manpage > man/salesint.1; "
    "build/salesint completion bash > completions/salesint.bash (zsh: "
    "completions/_salesint, fish: completions/salesint.fish)";

}  // namespace

TEST_CASE("checked-in completions and man page equal what the binary generates", "[e2e][docs]") {
    INFO(kRegenerate);
    CHECK(run_salesint({"completion", "bash"}).out ==
          read_file(source_dir() + "/completions/salesint.bash"));
    CHECK(run_salesint({"completion", "zsh"}).out ==
          read_file(source_dir() + "/completions/_salesint"));
    CHECK(run_salesint({"completion", "fish"}).out ==
          read_file(source_dir() + "/completions/salesint.fish"));
    CHECK(run_salesint({"manpage"}).out == read_file(source_dir() + "/man/salesint.1"));
}

TEST_CASE("the man page documents every command, exit code and variable", "[e2e][docs]") {
    std::string man = read_file(source_dir() + "/man/salesint.1");
    for (const char* command :
         {"state init", "state info", "state check", "state migrate", "connector add",
          "connector remove", "mapping resolve", "mapping approve", "checkpoint reset",
          "audit list", "completion fish", "health"}) {
        CHECK_THAT(man, Catch::Contains(std::string("salesint ") + command));
    }
    for (const char* text : {"SALESINT_STATE", "SALESINT_TENANT", "EXIT STATUS",
                             "JSON shape of a mapping", "\\-\\-from\\-json",
                             // the options of a group that runs itself
                             "\\fBsalesint health\\fR [\\fIOPTIONS\\fR]", "\\-\\-max\\-slots"}) {
        CHECK_THAT(man, Catch::Contains(text));
    }
    if (have("groff")) {
        RunResult rendered = run_program(
            {"/bin/sh", "-c", "groff -man -Tutf8 -ww -z " + source_dir() + "/man/salesint.1 2>&1"});
        CHECK(rendered.out.empty());
    }
}

TEST_CASE("bash completion completes commands, options and values", "[e2e][docs]") {
    auto complete = [](const std::string& words, int cword) {
        std::string script = "source " + source_dir() + "/completions/salesint.bash; COMP_WORDS=(" +
                             words + "); COMP_CWORD=" + std::to_string(cword) +
                             "; _salesint; printf '%s\\n' \"${COMPREPLY[@]}\"";
        return run_program({"/bin/bash", "-c", script}).out;
    };
    CHECK(complete("salesint ''", 1).find("checkpoint\n") != std::string::npos);
    CHECK(complete("salesint checkpoint re", 2) == "reset\n");
    CHECK(complete("salesint mapping list --status p", 4) == "pending_review\n");
    CHECK(complete("salesint -o j", 2) == "json\n");
    CHECK(complete("salesint checkpoint set --k", 3) == "--kind\n");
}

TEST_CASE("zsh and fish completions parse", "[e2e][docs]") {
    if (have("zsh")) {
        CHECK(run_program({"/bin/sh", "-c", "zsh -n " + source_dir() + "/completions/_salesint"})
                  .exit_code == 0);
    } else {
        WARN("zsh not installed: syntax not checked");
    }
    if (have("fish")) {
        CHECK(
            run_program({"/bin/sh", "-c", "fish -n " + source_dir() + "/completions/salesint.fish"})
                .exit_code == 0);
    } else {
        WARN("fish not installed: syntax not checked");
    }
}
