// execute in deterministic mode against fixtures/execute: every adapter's
// example, the sample order PX-TEST-001, one fixture per validation rule, the
// integration fact, and dry runs.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <sstream>

#include "e2e/execute/execute_support.hpp"
#include "e2e/seeded_state.hpp"
#include "support/temp_state.hpp"

using namespace salesint::test;

TEST_CASE("the sample order PX-TEST-001 is received under its idempotency key",
          "[e2e][execute][backends]") {
    TempDir dir;
    RunResult result =
        run_salesint({"--state", dir.state(), "execute", kOrderIntake, "--input",
                      execute_fixture("order-intake.json"), "--now", kFixedNow, "-o", "json"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    nlohmann::json outcome = result.json();
    // SHA-256("PX-TEST-001-PYXIS"), the idempotency key of an order intake.
    CHECK(outcome["message_id"] ==
          "e4517eb45cf1a935ff32e13a60cb31bed6bfc88cac7d3ee5992c66ba6c3cd418");
    CHECK(outcome["status"] == "succeeded");
    CHECK(outcome["replayed"] == false);
    CHECK(outcome["attempts"] == 1);
    CHECK(outcome["error_code"].is_null());
    nlohmann::json output = outcome["output"];
    CHECK(output["status"] == "RECEIVED");
    CHECK(output["externalOrderId"] == "PX-TEST-001");
    CHECK(output["receivedAt"] == kFixedNow);
    CHECK(output["correlationId"] == outcome["message_id"]);
    CHECK(output["orderId"].get<std::string>().size() == 36);
}

TEST_CASE("every adapter's example input succeeds, with the same output everywhere",
          "[e2e][execute][backends]") {
    RunResult list =
        run_salesint({"--state", "/nonexistent/never.db", "adapters", "list", "-o", "json"});
    REQUIRE(list.exit_code == 0);
    REQUIRE(list.json().size() == 6);
    for (const auto& adapter : list.json()) {
        const std::string id = adapter["id"];
        const std::string example = adapter["example"];
        INFO(id);
        TempDir first;
        TempDir second;
        std::vector<std::string> args{"execute", id,        "--input", source_dir() + "/" + example,
                                      "--now",   kFixedNow, "-o",      "json"};
        std::vector<std::string> a{"--state", first.state()};
        std::vector<std::string> b{"--state", second.state()};
        a.insert(a.end(), args.begin(), args.end());
        b.insert(b.end(), args.begin(), args.end());
        RunResult one = run_salesint(a);
        RunResult two = run_salesint(b);
        INFO(one.err);
        REQUIRE(one.exit_code == 0);
        CHECK(one.json()["status"] == "succeeded");
        nlohmann::json a_outcome = one.json();
        nlohmann::json b_outcome = two.json();
        a_outcome.erase("duration_ms");  // the only field that may differ
        b_outcome.erase("duration_ms");
        CHECK(a_outcome == b_outcome);  // deterministic: ids derive from the input
    }
}

TEST_CASE("each validation rule fails with its code and field, and writes nothing",
          "[e2e][execute][backends]") {
    nlohmann::json manifest =
        nlohmann::json::parse(read_file(execute_fixture("invalid/cases.json")));
    REQUIRE(manifest["cases"].size() >= 30);
    SeededState seeded;
    for (const auto& test : manifest["cases"]) {
        const std::string file = test["file"];
        INFO(file);
        const std::string before = snapshot(seeded.state());
        RunResult result = seeded.run(
            {"execute", test["adapter"], "--input", execute_fixture(file), "-o", "json"});
        CHECK(result.exit_code == 1);
        nlohmann::json outcome = result.json();
        CHECK(outcome["error_code"] == test["code"]);
        nlohmann::json response = outcome["error"];
        CHECK(response["error"]["code"] == test["code"]);
        CHECK(response.contains("correlationId"));
        CHECK(response.contains("timestamp"));
        if (test["field"] != "") {
            REQUIRE(!response["error"]["details"].empty());
            CHECK(response["error"]["details"][0]["field"] == test["field"]);
        }
        if (outcome["status"] == "rejected") {
            CHECK(snapshot(seeded.state()) == before);  // a rejected input is not recorded
        } else {
            CHECK(outcome["status"] == "failed");  // a business "no" is an outcome
        }
        // Text mode: one line on stderr naming the file and the field.
        RunResult text = seeded.run({"execute", test["adapter"], "--input", execute_fixture(file)});
        CHECK(text.exit_code == 1);
        CHECK_THAT(text.err,
                   Catch::Contains(file) && Catch::Contains(test["code"].get<std::string>()));
    }
}

TEST_CASE("executing the same order twice replays it: one execution, one fact",
          "[e2e][execute][idempotency][backends]") {
    TempDir dir;
    std::vector<std::string> args{"--state",    dir.state(), "execute",
                                  kOrderIntake, "--input",   execute_fixture("order-intake.json"),
                                  "-o",         "json"};
    RunResult first = run_salesint(args);
    RunResult second = run_salesint(args);
    REQUIRE(first.exit_code == 0);
    REQUIRE(second.exit_code == 0);
    CHECK(first.json()["replayed"] == false);
    CHECK(second.json()["replayed"] == true);
    CHECK(first.json()["output"] == second.json()["output"]);
    CHECK(first.json()["execution_id"] == second.json()["execution_id"]);
    CHECK(count_rows(dir.state(), "SELECT count(*) FROM executions") == 1);
    CHECK(count_rows(dir.state(),
                     "SELECT count(*) FROM outbox WHERE topic = "
                     "'sales.integration.facts.v1'") == 1);
    CHECK(count_rows(dir.state(),
                     "SELECT count(*) FROM outbox WHERE topic = 'sales.order.intake'") == 1);
}

TEST_CASE("the same order with other data is a DUPLICATE_ORDER (exit 4), state untouched",
          "[e2e][execute][idempotency][backends]") {
    TempDir dir;
    REQUIRE(run_salesint({"--state", dir.state(), "execute", kOrderIntake, "--input",
                          execute_fixture("order-intake.json")})
                .exit_code == 0);
    nlohmann::json order = nlohmann::json::parse(read_file(execute_fixture("order-intake.json")));
    order["customer"]["firstName"] = "Jane";
    const std::string before = snapshot(dir.state());
    RunResult result = run_salesint(
        {"--state", dir.state(), "execute", kOrderIntake, "--input", "-", "-o", "json"},
        {order.dump(), {}, ""});
    CHECK(result.exit_code == 4);
    CHECK(result.json()["status"] == "conflict");
    CHECK(result.json()["error_code"] == "DUPLICATE_ORDER");
    CHECK(snapshot(dir.state()) == before);

    RunResult text = run_salesint({"--state", dir.state(), "execute", kOrderIntake, "--input", "-"},
                                  {order.dump(), {}, ""});
    CHECK(text.exit_code == 4);
    CHECK_THAT(text.err, Catch::StartsWith("salesint: error: <stdin>: DUPLICATE_ORDER"));
}

TEST_CASE("a given message id makes any adapter idempotent by it",
          "[e2e][execute][idempotency][backends]") {
    TempDir dir;
    auto run = [&](const std::string& fixture) {
        return run_salesint({"--state", dir.state(), "execute", "sales.erp.create_order.v1",
                             "--input", execute_fixture(fixture), "--message-id", "msg-erp-1", "-o",
                             "json"});
    };
    RunResult first = run("erp-create-order.json");
    REQUIRE(first.exit_code == 0);
    CHECK(first.json()["message_id"] == "msg-erp-1");
    CHECK(run("erp-create-order.json").json()["replayed"] == true);
    // An email request is no ERP order: rejected before the message id counts.
    CHECK(run("quote-send-email.json").exit_code == 1);
    nlohmann::json changed =
        nlohmann::json::parse(read_file(execute_fixture("erp-create-order.json")));
    changed["customerId"] = "CUST-002";
    RunResult conflict =
        run_salesint({"--state", dir.state(), "execute", "sales.erp.create_order.v1", "--input",
                      "-", "--message-id", "msg-erp-1", "-o", "json"},
                     {changed.dump(), {}, ""});
    CHECK(conflict.exit_code == 4);
    CHECK(conflict.json()["error_code"] == "DUPLICATE_MESSAGE");
}

TEST_CASE("each outcome writes one SalesIntegrationFact with every meta field",
          "[e2e][execute][facts][backends]") {
    TempDir dir;
    RunResult result =
        run_salesint({"--state", dir.state(), "--tenant", "acme", "execute", kOrderIntake,
                      "--input", execute_fixture("order-intake.json"), "--correlation-id",
                      "corr-42", "--causation-id", "cause-7", "--now", kFixedNow, "-o", "json"});
    REQUIRE(result.exit_code == 0);
    const std::string message_id = result.json()["message_id"];
    auto envelopes = column_values(
        dir.state(), "SELECT envelope FROM outbox WHERE topic = 'sales.integration.facts.v1'");
    REQUIRE(envelopes.size() == 1);
    nlohmann::json fact = nlohmann::json::parse(envelopes[0]);
    nlohmann::json meta = fact["meta"];
    CHECK(meta["tenant_id"] == "acme");
    CHECK(meta["message_id"].get<std::string>().size() == 36);
    CHECK(meta["message_id"] != message_id);
    CHECK(meta["correlation_id"] == "corr-42");
    CHECK(meta["causation_id"] == message_id);  // caused by the executed message
    CHECK(meta["occurred_at"] == kFixedNow);
    CHECK_THAT(meta["producer"].get<std::string>(), Catch::StartsWith("salesint/"));
    CHECK(meta["schema_version"] == "1.0.0");
    CHECK(fact["subject"]["aggregate_id"] == result.json()["execution_id"]);
    CHECK(fact["fact"]["type"] == "IntegrationExecutionSucceeded");
    CHECK(fact["fact"]["output"] == result.json()["output"]);
    CHECK(
        count_rows(dir.state(), "SELECT count(*) FROM outbox WHERE topic LIKE 'sales.domain.%'") ==
        0);  // never domain facts

    auto events = column_values(dir.state(),
                                "SELECT envelope FROM outbox WHERE topic = 'sales.order.intake'");
    REQUIRE(events.size() == 1);
    nlohmann::json event = nlohmann::json::parse(events[0]);
    CHECK(event["eventType"] == "OrderIntakeReceived");
    CHECK(event["orderId"] == result.json()["output"]["orderId"]);
    CHECK(event["orderData"] ==
          nlohmann::json::parse(read_file(execute_fixture("order-intake.json"))));
    CHECK(event["meta"]["causation_id"] == message_id);
    CHECK(count_rows(dir.state(),
                     "SELECT count(*) FROM executions WHERE tenant_id = 'acme' AND "
                     "causation_id = 'cause-7' AND correlation_id = 'corr-42'") == 1);
}

TEST_CASE("a dry run shows what would be written and writes nothing", "[e2e][execute][backends]") {
    SeededState seeded;
    const std::string before = snapshot(seeded.state());
    RunResult result =
        seeded.run({"execute", kOrderIntake, "--input", execute_fixture("order-intake.json"),
                    "--dry-run", "-o", "json"});
    REQUIRE(result.exit_code == 0);
    nlohmann::json outcome = result.json();
    CHECK(outcome["dry_run"] == true);
    CHECK(outcome["output"]["status"] == "RECEIVED");
    REQUIRE(outcome["writes"].size() == 3);
    CHECK_THAT(outcome["writes"][1].get<std::string>(),
               Catch::StartsWith("outbox sales.integration.facts.v1"));
    CHECK(snapshot(seeded.state()) == before);

    TempDir empty;
    RunResult no_state = run_salesint({"--state", empty.state(), "execute", kOrderIntake, "--input",
                                       execute_fixture("order-intake.json"), "--dry-run"});
    CHECK(no_state.exit_code == 0);
    CHECK_THAT(no_state.out, Catch::Contains("dry_run:"));
    CHECK_THAT(no_state.out, Catch::Contains("writes:\n  - executions"));
    CHECK_FALSE(std::ifstream(empty.state()).good());  // no state file was created
}

TEST_CASE("a batch executes every line, in file order, and is resumable",
          "[e2e][execute][batch][backends]") {
    TempDir dir;
    nlohmann::json order = nlohmann::json::parse(read_file(execute_fixture("order-intake.json")));
    std::string lines;
    for (int i = 1; i <= 3; ++i) {
        order["externalOrderId"] = "PX-BATCH-" + std::to_string(i);
        lines += order.dump() + "\n";
    }
    lines += "{\"externalOrderId\": \n";  // line 4: not JSON
    order["externalOrderId"] = "PX-BATCH-5";
    order["customer"]["email"] = "not-an-email";
    lines += order.dump() + "\n\n";  // line 5: invalid; line 6 blank
    write_file(dir.file("orders.ndjson"), lines);

    std::vector<std::string> args{"--state",    dir.state(), "execute",
                                  kOrderIntake, "--batch",   dir.file("orders.ndjson"),
                                  "-o",         "ndjson"};
    RunResult first = run_salesint(args);
    CHECK(first.exit_code == 2);  // the highest of any row: line 4 cannot be parsed
    std::vector<nlohmann::json> rows;
    std::istringstream out(first.out);
    for (std::string line; std::getline(out, line);) {
        rows.push_back(nlohmann::json::parse(line));
    }
    REQUIRE(rows.size() == 5);
    CHECK(rows[0]["line"] == 1);
    CHECK(rows[0]["status"] == "succeeded");
    CHECK(rows[2]["status"] == "succeeded");
    CHECK(rows[3]["line"] == 4);
    CHECK(rows[3]["status"] == "invalid_json");
    CHECK_THAT(rows[3]["error"]["error"]["message"].get<std::string>(),
               Catch::Contains("orders.ndjson:4:"));
    CHECK(rows[4]["status"] == "rejected");
    CHECK(rows[4]["error"]["error"]["details"][0]["field"] == "customer.email");
    CHECK(count_rows(dir.state(), "SELECT count(*) FROM executions") == 3);

    RunResult again = run_salesint(args);
    std::istringstream replay(again.out);
    std::string line;
    std::getline(replay, line);
    CHECK(nlohmann::json::parse(line)["replayed"] == true);
    CHECK(count_rows(dir.state(), "SELECT count(*) FROM executions") == 3);
    CHECK(count_rows(dir.state(), "SELECT count(*) FROM outbox") == 6);

    RunResult text = run_salesint(
        {"--state", dir.state(), "execute", kOrderIntake, "--batch", dir.file("orders.ndjson")});
    CHECK_THAT(text.out, Catch::Contains("5 inputs") && Catch::Contains("3 succeeded"));
    CHECK_THAT(text.err, Catch::Contains("orders.ndjson:5: rejected: INVALID_ORDER"));
}

TEST_CASE("execute's usage and lookup errors have their exit codes",
          "[e2e][execute][exit_code][backends]") {
    SeededState seeded;
    const std::string before = snapshot(seeded.state());
    CHECK(seeded.run({"execute", "no.such.adapter.v1", "--input", "-"}).exit_code == 3);
    CHECK(seeded.run({"execute", kOrderIntake}).exit_code == 2);  // neither --input nor --batch
    RunResult array =
        seeded.run({"execute", kOrderIntake, "--input", "-", "-o", "json"}, {"[1, 2]", {}, ""});
    CHECK(array.exit_code == 1);  // JSON, but not an order
    CHECK(array.json()["error"]["error"]["details"][0]["message"] == "must be a JSON object");
    write_file(seeded.dir().file("broken.json"), "{\n  \"externalOrderId\": PX\n}\n");
    RunResult broken =
        seeded.run({"execute", kOrderIntake, "--input", seeded.dir().file("broken.json")});
    CHECK(broken.exit_code == 2);
    CHECK_THAT(broken.err, Catch::Contains("broken.json:2:"));
    CHECK(seeded
              .run({"execute", kOrderIntake, "--input", execute_fixture("order-intake.json"),
                    "--live", "--connector", "NOPE"})
              .exit_code == 3);
    CHECK(seeded
              .run({"execute", kOrderIntake, "--input", execute_fixture("order-intake.json"),
                    "--connector", "PYXIS"})
              .exit_code == 2);  // --connector without --live
    CHECK(snapshot(seeded.state()) == before);
}

TEST_CASE("a batch run again replays what it recorded, and still checks and runs the rest",
          "[e2e][execute][batch][backends]") {
    // While most rows are replays, the reader thread only identifies inputs
    // and the store's thread replays them, or checks and runs one it does
    // not find (src/execute/batch.cpp). Either way every row reads as it
    // would alone: a replay as recorded, a changed order as a conflict, an
    // invalid one as rejected, a new one as succeeded.
    TempDir dir;
    const nlohmann::json order =
        nlohmann::json::parse(read_file(execute_fixture("order-intake.json")));
    auto order_number = [&](int i) {
        nlohmann::json numbered = order;
        numbered["externalOrderId"] = "PX-REPLAY-" + std::to_string(i);
        return numbered;
    };
    std::string first_lines;
    constexpr int kRecorded = 2000;  // more than the queue holds: the reader switches to replays
    for (int i = 0; i < kRecorded; ++i) {
        first_lines += order_number(i).dump() + "\n";
    }
    write_file(dir.file("first.ndjson"), first_lines);
    auto run_batch = [&](const std::string& file) {
        RunResult result = run_salesint(
            {"--state", dir.state(), "execute", kOrderIntake, "--batch", file, "-o", "ndjson"});
        std::vector<nlohmann::json> rows;
        std::istringstream out(result.out);
        for (std::string line; std::getline(out, line);) {
            rows.push_back(nlohmann::json::parse(line));
        }
        return std::make_pair(result.exit_code, rows);
    };
    auto [first_code, first] = run_batch(dir.file("first.ndjson"));
    REQUIRE(first_code == 0);
    REQUIRE(first.size() == kRecorded);

    // New orders first, then the orders of the first run written with other
    // spacing and key order; late in them (once the reader only identifies),
    // one with other data (DUPLICATE_ORDER), one with other, invalid data
    // (rejected first) and new ones.
    std::string lines;
    for (int i = 10000; i < 10012; ++i) {
        lines += order_number(i).dump() + "\n";
    }
    for (int i = 0; i < kRecorded; ++i) {
        // Keys reversed, spaces around: the same canonical form.
        const nlohmann::json same = order_number(i);
        nlohmann::ordered_json reversed = nlohmann::ordered_json::object();
        for (auto it = same.rbegin(); it != same.rend(); ++it) {
            reversed[it.key()] = *it;
        }
        lines += "  " + reversed.dump() + " \n";
        if (i == 20 || i == kRecorded - 20) {
            nlohmann::json changed = order_number(i + 1);
            changed["priority"] = "URGENT";
            lines += changed.dump() + "\n";
            changed["customer"]["email"] = "not-an-email";
            lines += changed.dump() + "\n";
            lines += order_number(20000 + i).dump() + "\n";
        }
    }
    write_file(dir.file("second.ndjson"), lines);
    auto [second_code, second] = run_batch(dir.file("second.ndjson"));
    CHECK(second_code == 4);  // the duplicate orders
    REQUIRE(second.size() == 12 + kRecorded + 2 * 3);
    std::map<std::string, nlohmann::json> first_by_message;
    for (const nlohmann::json& row : first) {
        first_by_message[row["message_id"].get<std::string>()] = row;
    }
    int replays = 0;
    int conflicts = 0;
    int rejected = 0;
    for (const nlohmann::json& row : second) {
        INFO(row.dump());
        auto before = first_by_message.find(
            row["message_id"].is_string() ? row["message_id"].get<std::string>() : std::string());
        if (row["status"] == "conflict") {
            CHECK(row["error_code"] == "DUPLICATE_ORDER");
            ++conflicts;
        } else if (row["status"] == "rejected") {
            CHECK(row["error_code"] == "INVALID_ORDER");
            ++rejected;
        } else if (before == first_by_message.end()) {
            CHECK(row["status"] == "succeeded");
            CHECK(row["replayed"] == false);
        } else {
            ++replays;
            nlohmann::json expected = before->second;
            expected["line"] = row["line"];
            expected["replayed"] = true;
            CHECK(row == expected);
        }
    }
    CHECK(replays == kRecorded);
    CHECK(conflicts == 2);
    CHECK(rejected == 2);
    CHECK(count_rows(dir.state(), "SELECT count(*) FROM executions") == kRecorded + 12 + 2);
    CHECK(count_rows(dir.state(), "SELECT count(*) FROM outbox") == 2 * (kRecorded + 12 + 2));
}
