// What every command handler gets: the global options, the store (opened on
// first use, so that `--help` and `--version` never touch a file), and the
// output helpers.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "command_traits.hpp"
#include "salesint/output.hpp"
#include "salesint/store.hpp"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace salesint::cli {

struct GlobalOptions {
    std::string state_path;
    std::string tenant;
    std::string output = "text";
    bool verbose = false;
    bool quiet = false;
    std::string log_format = "text";
};

class Context {
  public:
    GlobalOptions options;

    // Opens the state file named by --state / SALESINT_STATE / ./salesint.db;
    // creates it only for a leaf that writes (LeafTraits::state).
    Store& store();
    OutputFormat format() const;

    void print_rows(const std::vector<Column>& columns, const OrderedJson& rows) const;
    // Prints records as a listing, each turned into its JSON shape by
    // to_record(record, tenant) as it is written.
    template <typename T, typename ToRecord>
    void print_each(const std::vector<Column>& columns, const std::vector<T>& records,
                    ToRecord to_record) {
        RowWriter writer = rows(columns);
        for (const T& record : records) {
            writer.add(to_record(record, store().tenant()));
        }
        finish_listing(writer);
    }
    // Finishes a listing of the tenant's rows. When it was empty, and the
    // tenant has no row at all in a file where others have, says so on
    // stderr: `no rows for tenant "acme"; this file holds tenants: default, t1`.
    void finish_listing(RowWriter& writer);
    RowWriter rows(const std::vector<Column>& columns) const;
    void print_object(const OrderedJson& object) const;
    // A one-line confirmation for people; with a machine format the object is
    // printed instead, so scripts always get data.
    void print_result(const std::string& text_line, const OrderedJson& object) const;

    // Values an option accepts, for help and the generated completions.
    std::map<const CLI::Option*, std::vector<std::string>> choices;
    // What each leaf command does; run by cli::run after parsing succeeds,
    // which returns the exit code it answers (command.hpp: Action).
    std::map<const CLI::App*, std::function<ExitCode()>> actions;
    // What the leaf that runs declared (command_traits.cpp), set before its action.
    LeafTraits running;

  private:
    std::unique_ptr<Store> store_;
};

}  // namespace salesint::cli
