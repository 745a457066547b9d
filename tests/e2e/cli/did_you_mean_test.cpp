// A mistyped name gets the nearest known one (util/suggest.hpp): commands and
// groups, Execute IDs, audit actions, and the system/entity pairs of
// checkpoints and mappings. Each answer is one line with its exit code, and
// the state file is left as it was.
#include <catch2/catch.hpp>

#include "e2e/seeded_state.hpp"

using namespace salesint::test;

namespace {

struct Typo {
    std::vector<std::string> args;
    int exit_code;
    std::string err;  // the whole of stderr
};

void check_typos(const std::vector<Typo>& typos) {
    SeededState seeded;
    const std::string before = snapshot(seeded.state());
    for (const Typo& typo : typos) {
        std::string command;
        for (const auto& arg : typo.args) {
            command += arg + " ";
        }
        RunResult result = seeded.run(typo.args);
        INFO("salesint " << command << "\nstdout: " << result.out);
        CHECK(result.exit_code == typo.exit_code);
        CHECK(result.err == typo.err);
        CHECK(result.out.empty());
    }
    CHECK(snapshot(seeded.state()) == before);
}

}  // namespace

TEST_CASE("a mistyped command or group names the nearest one", "[e2e][exit_code][suggest]") {
    check_typos({
        {{"checkpoint", "lst"},
         2,
         "salesint: error: unknown command \"lst\" for \"salesint checkpoint\"; did you mean "
         "\"list\"?\nRun 'salesint checkpoint --help' for usage.\n"},
        {{"chekpoint"},
         2,
         "salesint: error: unknown command \"chekpoint\" for \"salesint\"; did you mean "
         "\"checkpoint\"?\nRun 'salesint --help' for usage.\n"},
        {{"-o", "json", "conector", "list"},
         2,
         "salesint: error: unknown command \"conector\" for \"salesint\"; did you mean "
         "\"connector\"?\nRun 'salesint --help' for usage.\n"},
        {{"mapping", "aprove", "PYXIS", "customer"},
         2,
         "salesint: error: unknown command \"aprove\" for \"salesint mapping\"; did you mean "
         "\"approve\"?\nRun 'salesint mapping --help' for usage.\n"},
        {{"checkpoint", "frobnicate"},
         2,
         "salesint: error: unknown command \"frobnicate\" for \"salesint checkpoint\"\n"
         "Run 'salesint checkpoint --help' for usage.\n"},
        // No subcommand at all: the ones there are.
        {{"checkpoint"},
         2,
         "salesint: error: 'salesint checkpoint' needs a subcommand: list, get, set, reset\n"
         "Run 'salesint checkpoint --help' for usage.\n"},
        // The hidden commands are never offered.
        {{"manpag"},
         2,
         "salesint: error: unknown command \"manpag\" for \"salesint\"\n"
         "Run 'salesint --help' for usage.\n"},
    });
}

TEST_CASE("a mistyped Execute ID names the nearest adapter", "[e2e][exit_code][suggest]") {
    const std::string input = fixtures_dir() + "/execute/order-intake.json";
    check_typos({
        {{"execute", "fsm.order.intak.v2", "--input", input},
         3,
         "salesint: error: no adapter 'fsm.order.intak.v2'; did you mean "
         "\"fsm.order.intake.v2\"?\n"},
        {{"adapters", "describe", "fsm.slot.availabilty.v1"},
         3,
         "salesint: error: no adapter 'fsm.slot.availabilty.v1'; did you mean "
         "\"fsm.slot.availability.v1\"?\n"},
        // Nothing near: every ID is listed.
        {{"execute", "nothing.like.it", "--input", input},
         3,
         "salesint: error: no adapter 'nothing.like.it'; known: sales.erp.create_order.v1, "
         "sales.quote.send_email.v1, fsm.order.intake.v2, fsm.slot.availability.v1, "
         "fsm.installation_outcome.notify.v1, fsm.appointment_scheduled.notify.v1\n"},
    });
}

TEST_CASE("an unknown audit action is a usage error with the nearest one",
          "[e2e][exit_code][suggest]") {
    check_typos({
        {{"audit", "list", "--action", "checkpoint.rest"},
         2,
         "salesint: error: unknown audit action \"checkpoint.rest\"; did you mean "
         "\"checkpoint.reset\"?\nRun 'salesint audit list --help' for usage.\n"},
        {{"audit", "list", "--action", "mapings"},
         2,
         "salesint: error: unknown audit action \"mapings\"; did you mean \"mapping\"?\n"
         "Run 'salesint audit list --help' for usage.\n"},
        {{"audit", "list", "--action", "zzz"},
         2,
         "salesint: error: unknown audit action \"zzz\"; actions: checkpoint.reset, "
         "connector.add, connector.set, connector.enable, connector.disable, connector.remove, "
         "connector.breaker_reset, mapping.force, mapping.approve, mapping.remove, "
         "mapping.retire, dlq.archive, dlq.purge, dlq.replay, execution.retry, or a group such "
         "as checkpoint\nRun 'salesint audit list --help' for usage.\n"},
    });
    // Known actions and groups still list, with or without entries.
    SeededState seeded;
    RunResult approvals =
        seeded.run({"audit", "list", "--action", "mapping.approve", "-o", "json"});
    CHECK(approvals.exit_code == 0);
    CHECK(approvals.json().size() == 2);  // the two customer mappings of the seed
    RunResult resets = seeded.run({"audit", "list", "--action", "checkpoint", "-o", "json"});
    CHECK(resets.exit_code == 0);
    CHECK(resets.json().empty());
}

TEST_CASE("a connector, checkpoint or mapping not found names the one that exists",
          "[e2e][exit_code][suggest]") {
    check_typos({
        {{"checkpoint", "get", "PYXIS", "order"},
         3,
         "salesint: error: checkpoint PYXIS/order not found in tenant 'default'; did you mean "
         "\"PYXIS/orders\"?\n"},
        {{"checkpoint", "reset", "TEMPO", "ordres", "--reason", "typo"},
         3,
         "salesint: error: checkpoint TEMPO/ordres not found in tenant 'default'; did you mean "
         "\"TEMPO/orders\"?\n"},
        {{"checkpoint", "get", "PYXIS", "invoices"},
         3,
         "salesint: error: checkpoint PYXIS/invoices not found in tenant 'default'\n"},
        {{"mapping", "get", "PYXIS", "customers", "CUST-1"},
         3,
         "salesint: error: mapping PYXIS/customers/CUST-1 not found in tenant 'default'; did you "
         "mean \"PYXIS/customer/CUST-1\"?\n"},
        // A system code spelled like a connector's.
        {{"connector", "show", "PYXS"},
         3,
         "salesint: error: connector PYXS not found in tenant 'default'; did you mean "
         "\"PYXIS\"?\n"},
        {{"checkpoint", "set", "TEMP", "orders", "1600"},
         3,
         "salesint: error: connector TEMP not found in tenant 'default'; did you mean "
         "\"TEMPO\"?\n"},
        {{"connector", "show", "CRM"},
         3,
         "salesint: error: connector CRM not found in tenant 'default' (add it with 'salesint "
         "connector add CRM')\n"},
        // Another external id is another record: never offered.
        {{"mapping", "get", "PYXIS", "customer", "CUST-3"},
         3,
         "salesint: error: mapping PYXIS/customer/CUST-3 not found in tenant 'default'\n"},
    });
}
