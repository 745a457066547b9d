// contract breaking in CI: against a git ref (a repository made by the test),
// --ignore and --config, changes sorted by file, line and column, and the
// summary in change wording.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "e2e/contract/contracts_support.hpp"

using namespace salesint::test;

namespace {

const char* const kOrderV1 = R"({
  "type": "object",
  "properties": {
    "status": {"enum": ["NEW", "DONE", "LOST"]},
    "kind": {"anyOf": [{"type": "string"}, {"type": "integer"}]}
  }
})";

// Removes the enum value LOST and the integer branch of kind.
const char* const kOrderV2 = R"({
  "type": "object",
  "properties": {
    "status": {"enum": ["NEW", "DONE"]},
    "kind": {"anyOf": [{"type": "string"}]}
  }
})";

const char* const kQuote = R"({"type": "object", "properties": {"id": {"type": "string"}}})";

// A git repository with schemas/order.json and schemas/quote.json committed
// on main, then order.json changed and quote.json removed in the work tree.
class SchemaRepo {
  public:
    SchemaRepo() {
        git({"init", "-q", "-b", "main", "."});
        std::filesystem::create_directories(dir.file("schemas"));
        write_file(dir.file("schemas/order.json"), kOrderV1);
        write_file(dir.file("schemas/quote.json"), kQuote);
        git({"add", "schemas"});
        git({"commit", "-q", "-m", "v1"});
        write_file(dir.file("schemas/order.json"), kOrderV2);
        std::filesystem::remove(dir.file("schemas/quote.json"));
    }

    void git(std::vector<std::string> args) const {
        args.insert(args.begin(), {"/usr/bin/env", "git"});
        RunResult result = run_program(args, options());
        INFO(result.err);
        REQUIRE(result.exit_code == 0);
    }

    RunResult breaking(std::vector<std::string> args) const {
        args.insert(args.begin(), {"contract", "breaking"});
        return run_salesint(args, options());
    }

    RunOptions options() const {
        RunOptions options;
        options.cwd = dir.path();
        options.env = {{"HOME", dir.path()},           {"GIT_CONFIG_NOSYSTEM", "1"},
                       {"GIT_AUTHOR_NAME", "test"},    {"GIT_AUTHOR_EMAIL", "test@example.com"},
                       {"GIT_COMMITTER_NAME", "test"}, {"GIT_COMMITTER_EMAIL", "test@example.com"}};
        return options;
    }

    TempDir dir;
};

}  // namespace

TEST_CASE("contract breaking --against-git compares PATH with itself at a ref", "[e2e][contract]") {
    SchemaRepo repo;
    RunResult result = repo.breaking({"--against-git", "main", "schemas"});
    INFO(result.err);
    CHECK(result.exit_code == 1);
    CHECK(result.out ==
          "schemas/order.json:4:24: enum.value_removed: enum value \"LOST\" removed (at "
          "/properties/status/enum)\n"
          "schemas/order.json:5:23: composition.branch_removed: anyOf branch 1 removed (at "
          "/properties/kind/anyOf/1)\n"
          "schemas/quote.json:1:1: schema.removed: quote.json is in main:schemas but not in "
          "schemas\n"
          "3 breaking changes in 2 of 2 schemas\n");

    // One file, and PATH defaulting to the current directory's schemas.
    RunResult one = repo.breaking({"--against-git", "main", "schemas/order.json", "-o", "json"});
    CHECK(one.exit_code == 1);
    CHECK(one.json()["summary"]["violations"] == 2);
    RunResult forward = repo.breaking({"--against-git", "HEAD", "schemas", "--mode", "forward"});
    CHECK(forward.exit_code == 1);  // a removed schema breaks every mode
    CHECK(forward.out.ends_with("\n1 breaking change in 1 of 2 schemas\n"));

    // --ignore and --config, as for validate.
    RunResult ignored =
        repo.breaking({"--against-git", "main", "schemas", "--ignore", "composition.*"});
    CHECK(ignored.exit_code == 1);
    CHECK(ignored.out.ends_with("\n2 breaking changes in 2 of 2 schemas (1 suppressed)\n"));
    write_file(repo.dir.file("breaking.json"),
               R"({"ignore": {"schema.removed": ["schemas/quote.json"], "enum.*": []}})");
    RunResult configured = repo.breaking(
        {"--against-git", "main", "schemas", "--config", "breaking.json", "-o", "json"});
    CHECK(configured.exit_code == 1);
    nlohmann::json report = configured.json();
    REQUIRE(report["violations"].size() == 1);
    CHECK(report["violations"][0]["rule"] == "composition.branch_removed");
    CHECK(report["summary"]["suppressed"] == 2);

    RunResult unknown_rule =
        repo.breaking({"--against-git", "main", "schemas", "--ignore", "enum.value_remove"});
    CHECK(unknown_rule.exit_code == 2);
    CHECK(unknown_rule.err.starts_with(
        "salesint: error: --ignore: no rule matches 'enum.value_remove'; did you mean "
        "\"enum.value_removed\"?"));

    // A ref that names no commit, a path not in it, no repository.
    RunResult no_ref = repo.breaking({"--against-git", "nope", "schemas"});
    CHECK(no_ref.exit_code == 3);
    CHECK(no_ref.err == "salesint: error: no commit nope in the git repository of schemas\n");
    RunResult option = repo.breaking({"--against-git=--output=x", "schemas"});
    CHECK(option.exit_code == 2);
    CHECK(option.err.starts_with(
        "salesint: error: git revision '--output=x': expected a branch, tag or commit\n"));
    CHECK_FALSE(std::filesystem::exists(repo.dir.file("x")));
    std::filesystem::create_directories(repo.dir.file("later"));
    RunResult no_path = repo.breaking({"--against-git", "main", "later"});
    CHECK(no_path.exit_code == 3);
    CHECK(no_path.err == "salesint: error: later is not a directory at main\n");
    TempDir elsewhere;
    write_file(elsewhere.file("a.json"), kQuote);
    RunResult no_repo =
        run_salesint({"contract", "breaking", "--against-git", "main", elsewhere.file("a.json")},
                     repo.options());
    CHECK(no_repo.exit_code == 2);
    CHECK(no_repo.err.find("not a git repository") != std::string::npos);

    // SARIF is written also when the run fails.
    RunResult sarif = repo.breaking({"--against-git", "nope", "schemas", "--format", "sarif"});
    CHECK(sarif.exit_code == 3);
    const nlohmann::json failed = sarif.json();
    const nlohmann::json& invocation = failed["runs"][0]["invocations"][0];
    CHECK(invocation["executionSuccessful"] == false);
    CHECK(invocation["toolExecutionNotifications"][0]["message"]["text"] ==
          "no commit nope in the git repository of schemas");

    RunResult both = repo.breaking({"--against-git", "main", "schemas", "schemas"});
    CHECK(both.exit_code == 2);
    CHECK(both.err.starts_with(
        "salesint: error: with --against-git, give one PATH (the schemas as they are now)\n"));
}

TEST_CASE("contract breaking sorts changes by file, line and column", "[e2e][contract]") {
    TempDir dir;
    std::filesystem::create_directories(dir.file("old"));
    std::filesystem::create_directories(dir.file("new"));
    // required comes first in the text, though properties are compared first.
    write_file(dir.file("old/b.json"),
               "{\n  \"required\": [],\n  \"properties\": {\"a\": {\"type\": \"string\"}}\n}\n");
    write_file(
        dir.file("new/b.json"),
        "{\n  \"required\": [\"a\"],\n  \"properties\": {\"a\": {\"type\": \"integer\"}}\n}\n");
    write_file(dir.file("old/a.json"), R"({"enum": [1, 2]})");
    write_file(dir.file("new/a.json"), R"({"enum": [1]})");
    nlohmann::json report =
        run_salesint({"contract", "breaking", dir.file("old"), dir.file("new"), "--format", "json"})
            .json();
    std::vector<std::string> places;
    for (const auto& violation : report["violations"]) {
        places.push_back(
            std::filesystem::path(violation["file"].get<std::string>()).filename().string() + ":" +
            std::to_string(violation["line"].get<int>()) + ":" +
            std::to_string(violation["column"].get<int>()) + " " +
            violation["rule"].get<std::string>());
    }
    CHECK(places == std::vector<std::string>{"a.json:1:10 enum.value_removed",
                                             "b.json:2:15 required.added",
                                             "b.json:3:32 type.changed"});
}

TEST_CASE("contract breaking -o csv prints one change per record", "[e2e][contract]") {
    TempDir dir;
    write_file(dir.file("old.json"), R"({"enum": [1, 2]})");
    write_file(dir.file("new.json"), R"({"enum": [1]})");
    RunResult csv = run_salesint(
        {"-o", "csv", "contract", "breaking", dir.file("old.json"), dir.file("new.json")});
    CHECK(csv.exit_code == 1);
    INFO(csv.out);
    CHECK(csv.out.starts_with(
        "file,line,column,rule,pointer,message,schema,document_line,fingerprint\r\n" +
        dir.file("new.json") + ",1,10,enum.value_removed,/enum,enum value 2 removed,new.json,1,"));
}
