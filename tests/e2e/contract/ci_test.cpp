// contract validate in CI: nothing to check is an error unless allowed,
// quoted patterns, SARIF written also when the run fails, -o csv and -o
// ndjson with a violation per record, -q, suggestions for mistyped rule ids
// and schema names, and the stream rules across documents.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "e2e/contract/contracts_support.hpp"

using namespace salesint::test;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

const char* const kUsageTail = "Run 'salesint contract validate --help' for usage.\n";

}  // namespace

TEST_CASE("validate with no documents exits 2 unless --allow-empty", "[e2e][contract]") {
    TempDir dir;
    std::filesystem::create_directories(dir.file("empty"));

    RunResult empty_dir = run_salesint({"contract", "validate", dir.file("empty")});
    CHECK(empty_dir.exit_code == 2);
    CHECK(empty_dir.out.empty());
    CHECK(empty_dir.err == "salesint: error: no documents to check: " + dir.file("empty") +
                               " holds no .json, .ndjson or .jsonl files, and --allow-empty is "
                               "not set\n" +
                               kUsageTail);

    // A quoted pattern is expanded by salesint: one that matches nothing is
    // nothing to check.
    RunResult no_match = run_salesint({"contract", "validate", dir.file("empty/*.ndjson")});
    CHECK(no_match.exit_code == 2);
    CHECK(no_match.err == "salesint: error: no documents to check: " + dir.file("empty/*.ndjson") +
                              " matches no file, and --allow-empty is not set\n" + kUsageTail);

    write_file(dir.file("blank.ndjson"), "\n\n");
    RunResult blank = run_salesint({"contract", "validate", dir.file("blank.ndjson")});
    CHECK(blank.exit_code == 2);
    CHECK(blank.err == "salesint: error: no documents to check: " + dir.file("blank.ndjson") +
                           " is empty, and --allow-empty is not set\n" + kUsageTail);

    for (const std::string& input :
         {dir.file("empty"), dir.file("empty/*.ndjson"), dir.file("blank.ndjson")}) {
        INFO(input);
        RunResult allowed = run_salesint({"contract", "validate", "--allow-empty", input});
        CHECK(allowed.exit_code == 0);
        CHECK(allowed.out.find("checked 0 documents in ") != std::string::npos);
        CHECK(allowed.out.find("0 valid, 0 invalid, 0 violations\n") != std::string::npos);
    }

    // A pattern that matches files checks them.
    std::filesystem::copy(contract_fixture("valid/domain-fact.json"), dir.file("a.json"));
    std::filesystem::copy(contract_fixture("invalid/meta-type.json"), dir.file("b.json"));
    nlohmann::json report = validate_json({dir.file("*.json")});
    CHECK(report["exit_code"] == 1);
    CHECK(report["summary"]["files"] == 2);
    CHECK(report["files"][0]["file"] == dir.file("a.json"));
    CHECK(report["files"][1]["file"] == dir.file("b.json"));
}

TEST_CASE("validate --format sarif writes SARIF also when a path is missing", "[e2e][contract]") {
    RunResult missing = run_salesint({"contract", "validate", "--format", "sarif",
                                      contract_fixture("valid"), "/nonexistent/events.ndjson"});
    CHECK(missing.exit_code == 2);
    CHECK(missing.err ==
          "salesint: error: cannot read /nonexistent/events.ndjson: no such file or directory\n" +
              std::string(kUsageTail));
    nlohmann::json sarif = missing.json();
    CHECK(sarif["version"] == "2.1.0");
    const nlohmann::json& run = sarif["runs"][0];
    CHECK(run["tool"]["driver"]["name"] == "salesint");
    CHECK_FALSE(run["tool"]["driver"]["rules"].empty());
    CHECK(run["results"].empty());
    const nlohmann::json& invocation = run["invocations"][0];
    CHECK(invocation["executionSuccessful"] == false);
    REQUIRE(invocation["toolExecutionNotifications"].size() == 1);
    CHECK(invocation["toolExecutionNotifications"][0]["level"] == "error");
    CHECK(invocation["toolExecutionNotifications"][0]["message"]["text"] ==
          "cannot read /nonexistent/events.ndjson: no such file or directory");

    // Nothing to check, in SARIF too.
    TempDir dir;
    std::filesystem::create_directories(dir.file("empty"));
    RunResult empty =
        run_salesint({"contract", "validate", "--format", "sarif", dir.file("empty")});
    CHECK(empty.exit_code == 2);
    CHECK(
        empty
            .json()["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
            .get<std::string>()
            .find("no documents to check") != std::string::npos);

    // A run that finishes says it was successful, with its results.
    RunResult clean = run_salesint(
        {"contract", "validate", "--format", "sarif", contract_fixture("invalid/meta-type.json")});
    CHECK(clean.exit_code == 1);
    nlohmann::json finished = clean.json();
    CHECK(finished["runs"][0]["invocations"][0]["executionSuccessful"] == true);
    CHECK(finished["runs"][0]["invocations"][0]["toolExecutionNotifications"].empty());
    CHECK(finished["runs"][0]["results"].size() == 1);

    // A line that is not JSON is exit 2: a notification as well as a result.
    RunResult broken = run_salesint(
        {"contract", "validate", "--format", "sarif", contract_fixture("broken/bad-line.ndjson")});
    CHECK(broken.exit_code == 2);
    nlohmann::json partial = broken.json();
    CHECK(partial["runs"][0]["invocations"][0]["executionSuccessful"] == false);
    CHECK(partial["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
              .get<std::string>()
              .starts_with(contract_fixture("broken/bad-line.ndjson") + ":"));
}

TEST_CASE("validate -o csv and -o ndjson print one violation per record", "[e2e][contract]") {
    const std::vector<std::string> inputs{contract_fixture("invalid"), contract_fixture("valid")};
    nlohmann::json report = validate_json(inputs);
    const nlohmann::json& violations = report["violations"];
    REQUIRE(violations.size() > 5);

    std::vector<std::string> args{"-o", "ndjson", "contract", "validate"};
    args.insert(args.end(), inputs.begin(), inputs.end());
    RunResult ndjson = run_salesint(args);
    CHECK(ndjson.exit_code == 1);
    std::vector<std::string> lines = lines_of(ndjson.out);
    REQUIRE(lines.size() == violations.size());
    for (std::size_t i = 0; i < lines.size(); ++i) {
        INFO(lines[i]);
        nlohmann::json row = nlohmann::json::parse(lines[i]);
        CHECK(row == violations[i]);
    }

    args[1] = "csv";
    RunResult csv = run_salesint(args);
    CHECK(csv.exit_code == 1);
    lines = lines_of(csv.out);
    REQUIRE(lines.size() == violations.size() + 1);
    // RFC 4180: records end with CRLF.
    CHECK(lines[0] == "file,line,column,rule,pointer,message,schema,document_line,fingerprint\r");
    const nlohmann::json& first = violations[0];
    CHECK(lines[1].starts_with(
        first["file"].get<std::string>() + "," + std::to_string(first["line"].get<int>()) + "," +
        std::to_string(first["column"].get<int>()) + "," + first["rule"].get<std::string>() + ","));

    // Clean input: the header alone, exit 0.
    RunResult clean = run_salesint(
        {"-o", "csv", "contract", "validate", contract_fixture("valid/domain-fact.json")});
    CHECK(clean.exit_code == 0);
    CHECK(clean.out ==
          "file,line,column,rule,pointer,message,schema,document_line,fingerprint\r\n");
}

TEST_CASE("validate -q prints only the violations and the summary", "[e2e][contract]") {
    RunResult loud =
        run_salesint({"contract", "validate", contract_fixture("invalid/meta-type.json"),
                      contract_fixture("valid/domain-fact.json")});
    RunResult quiet =
        run_salesint({"-q", "contract", "validate", contract_fixture("invalid/meta-type.json"),
                      contract_fixture("valid/domain-fact.json")});
    CHECK(quiet.exit_code == 1);
    CHECK(loud.out.find(contract_fixture("valid/domain-fact.json") + ": 1 document: domain-fact") !=
          std::string::npos);
    std::vector<std::string> lines = lines_of(quiet.out);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].starts_with(contract_fixture("invalid/meta-type.json") + ":"));
    CHECK(lines[0].find(": meta.type: ") != std::string::npos);
    CHECK(lines[1] == "checked 2 documents in 2 files: 1 valid, 1 invalid, 1 violation");
}

TEST_CASE("a mistyped rule id or schema name gets a suggestion", "[e2e][contract]") {
    const std::string fact = contract_fixture("valid/domain-fact.json");
    RunResult rule =
        run_salesint({"contract", "validate", "--ignore", "schema.adittional_properties", fact});
    CHECK(rule.exit_code == 2);
    CHECK(rule.err ==
          "salesint: error: --ignore: no rule matches 'schema.adittional_properties'; did you "
          "mean \"schema.additional_properties\"? (the rules are listed in `salesint contract "
          "validate --help`)\n" +
              std::string(kUsageTail));

    // Nothing near: no suggestion.
    RunResult far = run_salesint({"contract", "validate", "--ignore", "zzz", fact});
    CHECK(far.exit_code == 2);
    CHECK(far.err.find("no rule matches 'zzz' (the rules") != std::string::npos);

    RunResult schema =
        run_salesint({"contract", "validate", "--schema", "order-intake-reqest", fact});
    CHECK(schema.exit_code == 3);
    CHECK(schema.err ==
          "salesint: error: --schema order-intake-reqest: no such schema; use auto, a path, or "
          "the name of a shipped schema; did you mean \"order-intake-request\"? (`salesint "
          "contract schemas` lists them)\n");

    RunResult shown = run_salesint({"contract", "schemas", "integraton-fact"});
    CHECK(shown.exit_code == 3);
    CHECK(shown.err ==
          "salesint: error: no shipped schema named integraton-fact; did you mean "
          "\"integration-fact\"? (see `salesint contract schemas`)\n");
}

TEST_CASE("stream rules report repeated message ids and workflow steps going back",
          "[e2e][contract]") {
    const nlohmann::json fact =
        nlohmann::json::parse(read_file(contract_fixture("valid/process-fact.json")));
    auto with = [&fact](const std::string& message_id, const std::string& workflow, int step) {
        nlohmann::json document = fact;
        document["meta"]["message_id"] = message_id;
        document["subject"]["workflow_id"] = workflow;
        document["subject"]["step"] = step;
        return document.dump();
    };
    const std::string a = "00000000-0000-4000-8000-00000000000a";
    const std::string b = "00000000-0000-4000-8000-00000000000b";
    const std::string c = "00000000-0000-4000-8000-00000000000c";
    const std::string d = "00000000-0000-4000-8000-00000000000d";
    const std::vector<std::string> lines{
        with(a, "wf-1", 1),  // line 1
        with(b, "wf-1", 3),  // line 2
        with(c, "wf-2", 1),  // line 3: another workflow has its own steps
        with(a, "wf-2", 2),  // line 4: message id of line 1 again
        with(d, "wf-1", 2),  // line 5: wf-1 was at step 3
    };
    TempDir dir;
    std::string text;
    for (const std::string& line : lines) {
        text += line + "\n";
    }
    write_file(dir.file("dump.ndjson"), text);

    // Without the option each document is valid on its own.
    CHECK(validate_json({dir.file("dump.ndjson")})["exit_code"] == 0);

    RunResult result =
        run_salesint({"contract", "validate", "--stream-rules", dir.file("dump.ndjson")});
    CHECK(result.exit_code == 1);
    const std::string file = dir.file("dump.ndjson");
    const std::size_t id_column = lines[3].find(a) - 1 + 1;  // the value's opening quote
    const std::size_t step_column = lines[4].find("\"step\":2") + 7 + 1;
    CHECK(lines_of(result.out) ==
          std::vector<std::string>{
              file + ":4:" + std::to_string(id_column) +
                  ": stream.duplicate_message_id: meta.message_id " + a + " was seen before, at " +
                  file + ":1 (at /meta/message_id)",
              file + ":5:" + std::to_string(step_column) +
                  ": stream.step_backwards: step 2 of workflow wf-1 comes after step 3 at " + file +
                  ":2 (at /subject/step)",
              file + ": 5 documents: process-fact (picked by topic) x5",
              "checked 5 documents in 1 file: 3 valid, 2 invalid, 2 violations"});

    // Across files too, and silenced like any rule.
    write_file(dir.file("more.ndjson"), with(b, "wf-3", 1) + "\n");
    nlohmann::json report = validate_json(
        {"--stream-rules", "--ignore", "stream.step_backwards", file, dir.file("more.ndjson")});
    CHECK(report["summary"]["violations"] == 2);
    CHECK(report["summary"]["suppressed"] == 1);
    CHECK(report["violations"][1]["file"] == dir.file("more.ndjson"));
    CHECK(report["violations"][1]["rule"] == "stream.duplicate_message_id");
}
