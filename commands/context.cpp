#include "context.hpp"

#include <iostream>

#include "salesint/util/log.hpp"

namespace salesint::cli {

Store& Context::store() {
    if (!store_) {
        StoreOptions store_options;
        store_options.path = options.state_path;
        store_options.tenant = options.tenant;
        log::debug("opening state file " + store_options.path + " for tenant '" +
                   store_options.tenant + "'");
        store_ = open_store(store_options);
    }
    return *store_;
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
