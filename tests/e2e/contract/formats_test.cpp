// The CI formats: SARIF 2.1.0's required fields, GitHub workflow commands
// line by line. (JUnit is parsed by an XML parser in tests/oracle/contracts.mjs.)
#include <catch2/catch.hpp>

#include <regex>
#include <sstream>

#include "e2e/contract/contracts_support.hpp"

using namespace salesint::test;

TEST_CASE("SARIF output has the fields SARIF 2.1.0 requires, a result per violation",
          "[e2e][contract]") {
    RunResult result = run_salesint({"contract", "validate", "--format", "sarif",
                                     contract_fixture("invalid"), contract_fixture("valid")});
    CHECK(result.exit_code == 1);
    nlohmann::json sarif = result.json();
    CHECK(sarif["version"] == "2.1.0");
    CHECK(sarif["$schema"].get<std::string>().find("sarif") != std::string::npos);
    REQUIRE(sarif["runs"].size() == 1);
    const nlohmann::json& run = sarif["runs"][0];
    CHECK(run["tool"]["driver"]["name"] == "salesint");
    const nlohmann::json& rules = run["tool"]["driver"]["rules"];
    REQUIRE(rules.is_array());
    std::size_t invalid_fixtures = 0;
    const nlohmann::json cases = contract_cases();
    for (const auto& entry : cases["invalid"]) {
        invalid_fixtures += entry["file"].get<std::string>().rfind("invalid/", 0) == 0 ? 1 : 0;
    }
    REQUIRE(run["results"].size() == invalid_fixtures);
    for (const auto& sarif_result : run["results"]) {
        INFO(sarif_result.dump());
        const std::string rule = sarif_result["ruleId"];
        CHECK(rules[sarif_result["ruleIndex"].get<std::size_t>()]["id"] == rule);
        CHECK(sarif_result["level"] == "error");
        CHECK_FALSE(sarif_result["message"]["text"].get<std::string>().empty());
        const nlohmann::json& location = sarif_result["locations"][0]["physicalLocation"];
        CHECK(location["artifactLocation"]["uri"].get<std::string>().find("invalid/") !=
              std::string::npos);
        CHECK(location["region"]["startLine"].get<int>() >= 1);
        CHECK(location["region"]["startColumn"].get<int>() >= 1);
    }
}

TEST_CASE("GitHub output is one ::error workflow command per violation, then a notice",
          "[e2e][contract]") {
    RunResult result = run_salesint({"contract", "validate", "--format", "github",
                                     contract_fixture("invalid"), contract_fixture("valid")});
    CHECK(result.exit_code == 1);
    const std::regex error_line(
        R"(::error file=[^,:]+,line=[1-9][0-9]*,col=[1-9][0-9]*,title=[a-z_]+\.[a-z_]+::[^\r\n]+)");
    const std::regex notice_line(R"(::notice title=salesint contract validate::checked .*)");
    std::istringstream lines(result.out);
    std::string line;
    std::size_t errors = 0;
    std::vector<std::string> all;
    while (std::getline(lines, line)) {
        all.push_back(line);
    }
    REQUIRE_FALSE(all.empty());
    for (std::size_t i = 0; i + 1 < all.size(); ++i) {
        INFO(all[i]);
        CHECK(std::regex_match(all[i], error_line));
        errors += 1;
    }
    CHECK(std::regex_match(all.back(), notice_line));
    CHECK(errors == contract_cases()["invalid"].size() - 3);  // less the custom/ ones

    // The one for meta-message-id.json, field by field.
    const std::string file = contract_fixture("invalid/meta-message-id.json");
    CHECK(result.out.find("::error file=" + file +
                          ",line=4,col=19,title=meta.message_id::\"msg-001\" is not a UUID "
                          "(at /meta/message_id)\n") != std::string::npos);
}

TEST_CASE("GitHub output escapes what workflow commands reserve", "[e2e][contract]") {
    TempDir dir;
    // A value with a newline and a percent sign inside a message.
    write_file(dir.file("odd,name.json"),
               R"({"error": {"code": "BAD", "message": "x"}, "correlationId": "c",)"
               R"( "timestamp": "100%\nnot a time"})");
    RunResult result =
        run_salesint({"contract", "validate", "--format", "github", dir.file("odd,name.json")});
    CHECK(result.exit_code == 1);
    CHECK(result.out.find("odd%2Cname.json,line=1,col=") != std::string::npos);
    CHECK(result.out.find("\"100%25%0Anot a time\"") != std::string::npos);
}
