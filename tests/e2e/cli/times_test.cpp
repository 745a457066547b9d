// Times and ages as people type them, the same in every option that takes
// one (src/util/clock.cpp parse_time_bound and parse_duration, through
// commands/option_values.hpp): RFC 3339 with any offset, or an age before
// now ("1h", "7d"), and one message for anything else.
#include <catch2/catch.hpp>

#include "e2e/seeded_state.hpp"

using namespace salesint::test;

namespace {

const std::string kNotATime =
    "' is neither an RFC 3339 time (2026-01-02T03:04:05Z) nor an age such as 30m, 1h or 7d\n";

}  // namespace

TEST_CASE("since takes an age or an RFC 3339 time in audit, execution and job listings",
          "[e2e][times]") {
    SeededState seeded;
    RunResult executed = seeded.run({"execute", "fsm.order.intake.v2", "--input",
                                     fixtures_dir() + "/execute/order-intake.json", "-o", "json"});
    INFO(executed.err);
    REQUIRE(executed.exit_code == 0);
    for (const std::string listing : {"audit", "execution", "outbox"}) {
        INFO(listing);
        RunResult recent = seeded.run({listing, "list", "--since", "1h", "-o", "json"});
        INFO(recent.err);
        REQUIRE(recent.exit_code == 0);
        CHECK_FALSE(recent.json().empty());
        CHECK(seeded.run({listing, "list", "--since", "7d", "-o", "json"}).json().size() ==
              recent.json().size());
        CHECK(seeded.run({listing, "list", "--since", "2999-01-01T00:00:00+02:00", "-o", "json"})
                  .json()
                  .empty());
        CHECK(seeded.run({listing, "list", "--since", "2000-01-01t00:00:00z", "-o", "json"})
                  .json()
                  .size() == recent.json().size());
    }
}

TEST_CASE("a time or an age that is not one is a usage error with one message everywhere",
          "[e2e][times]") {
    SeededState seeded;
    const std::string before = snapshot(seeded.state());
    for (const std::string bad : {"1x", "-1h", "99999999999d", "999999999d", "3", "yesterday"}) {
        for (const std::vector<std::string>& command : std::vector<std::vector<std::string>>{
                 {"audit", "list"}, {"execution", "list"}, {"dlq", "list"}, {"job", "list"}}) {
            std::vector<std::string> args = command;
            args.push_back("--since=" + bad);
            RunResult result = seeded.run(args);
            INFO(args[0] << " " << args.back() << "\n" << result.err);
            CHECK(result.exit_code == 2);
            CHECK_THAT(result.err,
                       Catch::StartsWith("salesint: error: --since: '" + bad + kNotATime));
        }
    }
    RunResult until = seeded.run({"dlq", "list", "--until", "1x"});
    CHECK(until.exit_code == 2);
    CHECK_THAT(until.err, Catch::StartsWith("salesint: error: --until: '1x" + kNotATime));
    CHECK(snapshot(seeded.state()) == before);
}

TEST_CASE("older-than takes an age such as 30d", "[e2e][times]") {
    SeededState seeded;
    RunResult purged = seeded.run({"dlq", "purge", "--older-than", "30d", "-o", "json"});
    INFO(purged.err);
    CHECK(purged.exit_code == 0);
    CHECK(purged.json()["purged"] == 0);
    RunResult archived = seeded.run({"dlq", "archive", "--older-than", "12h", "-o", "json"});
    INFO(archived.err);
    CHECK(archived.exit_code == 0);
    for (const std::string bad : {"1x", "0d", "-1h", "2026-01-01T00:00:00Z", "99999999999d"}) {
        RunResult result = seeded.run({"dlq", "purge", "--older-than=" + bad});
        INFO(bad << "\n" << result.err);
        CHECK(result.exit_code == 2);
        CHECK_THAT(result.err, Catch::StartsWith("salesint: error: --older-than: '" + bad +
                                                 "' is not an age such as 30m, 12h or 7d\n"));
    }
}
