#include "context.hpp"

#include <algorithm>
#include <iostream>

#include "salesint/errors.hpp"
#include "salesint/util/log.hpp"
#include "salesint/util/state_location.hpp"
#include "salesint/util/strings.hpp"

namespace salesint::cli {

Store& Context::store() {
    if (!store_) {
        StoreOptions store_options;
        store_options.path = options.state_path;
        store_options.tenant = options.tenant;
        store_options.create_if_missing = running.state == StateUse::kWrites;
        log::debug("opening state " + printable_state(store_options.path) + " for tenant '" +
                   store_options.tenant + "'");
        try {
            store_ = open_store(store_options);
        } catch (const Error& e) {
            if (e.code() != ExitCode::kNotFound || store_options.create_if_missing ||
                is_database_url(store_options.path)) {
                throw;
            }
            // A command that only reads never creates the file (README, "The state file").
            throw not_found(std::string(e.what()) +
                            "; create it with 'salesint state init' (or any command that "
                            "writes), or name another file with --state or SALESINT_STATE");
        }
    }
    return *store_;
}

void Context::finish_listing(RowWriter& writer) {
    writer.finish();
    if (writer.rows_written() > 0 || !store_ || options.quiet) {
        return;
    }
    const std::vector<std::string> tenants = store_->tenants_with_rows();
    if (tenants.empty() ||
        std::find(tenants.begin(), tenants.end(), store_->tenant()) != tenants.end()) {
        return;
    }
    std::cerr << "no rows for tenant \"" << escape_control(store_->tenant())
              << "\"; this file holds tenants: " << escape_control(join(tenants, ", ")) << '\n';
}

OutputFormat Context::format() const {
    return parse_output_format(options.output).value_or(OutputFormat::kText);
}

void Context::print_rows(const std::vector<Column>& columns, const OrderedJson& rows) const {
    render_rows(std::cout, format(), columns, rows);
}

RowWriter Context::rows(const std::vector<Column>& columns) const {
    return RowWriter(std::cout, format(), columns);
}

void Context::print_object(const OrderedJson& object) const {
    render_object(std::cout, format(), object);
}

void Context::print_result(const std::string& text_line, const OrderedJson& object) const {
    if (format() == OutputFormat::kText) {
        std::cout << text_line << '\n';
    } else {
        print_object(object);
    }
}

}  // namespace salesint::cli
