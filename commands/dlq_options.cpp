#include "dlq_options.hpp"

#include "option_values.hpp"
#include "salesint/errors.hpp"

namespace salesint::cli {

void add_dlq_filters(Command& command, DlqFilterOptions& options) {
    command.choice("--source", options.source, {"execute", "webhook_send", "outbox", "inbox"},
                   "Only entries from this source");
    command
        .option("--adapter", options.adapter,
                "Only this adapter's entries (webhook:SCHEME for deliveries)")
        .type_name("ID");
    command.option("--connector", options.connector, "Only entries sent to this connector")
        .type_name("CODE");
    command
        .option("--error-code", options.error_code, "Only entries with this error code (HTTP_503)")
        .type_name("CODE");
    command
        .option("--since", options.since,
                "Only entries that last failed at or after TIME (RFC 3339, or an age: 1h, 7d)")
        .type_name("TIME");
    command
        .option("--until", options.until,
                "Only entries that last failed before TIME (RFC 3339, or an age: 1h, 7d)")
        .type_name("TIME");
    command.choice("--status", options.status, {"pending", "replaying", "replayed", "archived"},
                   "Only entries in this status (default: all but archived)");
}

DlqFilter dlq_filter(const DlqFilterOptions& options) {
    DlqFilter filter;
    filter.source = options.source;
    filter.adapter_id = options.adapter;
    filter.connector_code = options.connector;
    filter.error_code = options.error_code;
    filter.since = time_bound_option(options.since, "--since");
    filter.until = time_bound_option(options.until, "--until");
    if (!options.status.empty()) {
        filter.status = parse_dlq_status(options.status);
    }
    return filter;
}

}  // namespace salesint::cli
