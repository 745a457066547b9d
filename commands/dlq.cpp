// salesint dlq list | show ID | archive | purge | export | import
// (dlq replay: dlq_replay.cpp)
#include <unistd.h>

#include <iostream>
#include <memory>
#include <sstream>

#include "context.hpp"
#include "dlq_options.hpp"
#include "groups.hpp"
#include "option_values.hpp"
#include "salesint/domain/dlq.hpp"
#include "salesint/domain/dlq_file.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/clock.hpp"
#include "salesint/util/crypto.hpp"
#include "salesint/util/strings.hpp"

namespace salesint::cli {
namespace {

constexpr const char* kShapes =
    R"(JSON shape of a DLQ entry (list: an array of them; attempts is their count):
  {"tenant_id", "entry_id", "group_id", "source", "adapter_id", "connector", "target_url",
   "message_id", "correlation_id", "error_code", "error_message", "attempts",
   "first_failed_at", "last_failed_at", "status", "replay_count", "updated_at"}
list --group-by error|adapter, one object per group (group_id is what replay --group takes):
  {"tenant_id", "group_id", "group_by", "adapter_id", "error_code", "fingerprint", "count",
   "first_seen", "last_seen", "example", "entry_ids"}
show: {"entry": {the entry as above, and "causation_id", "lease_owner", "lease_expires_at",
   "headers": {"Name": "value"}, "payload" (JSON, or UTF-8 text) or "payload_base64"},
   "attempts": [{"attempt", "at", "status", "error", "duration_ms"}],
   "replays": [{"at", "actor", "mode", "outcome", "execution_id", "error"}]}
archive: {"archived", "entry_ids"}  purge: {"purged", "entry_ids"}
export: {"exported", "to"}; each line of the file:
  {"entry_id", "source", "adapter_id", "message_id", "correlation_id", "causation_id",
   "connector", "target_url", "payload" (UTF-8 text) or "payload_base64", "headers",
   "error_code", "error_message", "attempts": [...], "first_failed_at", "last_failed_at",
   "status", "replay_count", "lease_owner", "lease_expires_at", "updated_at"}
import: {"imported", "already_present", "entry_ids" (the imported ones)}
Entries are grouped by adapter, error code and the message with numbers, ids and URLs
masked (fingerprint). Signature and credential headers are never shown, exported or
imported. Archived entries are left out unless --status archived.)";

// Text: the target of a webhook delivery instead of its scheme, and the
// message cut to one short line. CSV keeps the fields whole.
const std::vector<Column> kTextColumns{
    {"entry_id", "ID"},         {"source", "SOURCE"},     {"where", "ADAPTER"},
    {"error_code", "ERROR"},    {"attempts", "ATTEMPTS"}, {"first_failed_at", "FIRST"},
    {"last_failed_at", "LAST"}, {"status", "STATUS"},     {"short_message", "MESSAGE"},
};
const std::vector<Column> kColumns{
    {"entry_id", "ID"},           {"source", "SOURCE"},       {"adapter_id", "ADAPTER"},
    {"target_url", "TARGET"},     {"error_code", "ERROR"},    {"attempts", "ATTEMPTS"},
    {"first_failed_at", "FIRST"}, {"last_failed_at", "LAST"}, {"status", "STATUS"},
    {"error_message", "MESSAGE"},
};
const std::vector<Column> kGroupColumns{
    {"group_id", "GROUP"},      {"adapter_id", "ADAPTER"},    {"error_code", "ERROR"},
    {"count", "COUNT"},         {"first_seen", "FIRST SEEN"}, {"last_seen", "LAST SEEN"},
    {"fingerprint", "MESSAGE"},
};

constexpr std::size_t kShortMessage = 60;

OrderedJson or_null(const std::string& text) {
    return text.empty() ? OrderedJson() : OrderedJson(text);
}

// At most width code points of text on one line, "..." when cut.
std::string short_line(const std::string& text, std::size_t width) {
    const std::string line = escape_control(text);
    std::size_t points = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
        if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80 && points++ == width) {
            return line.substr(0, i) + "...";
        }
    }
    return line;
}

// A URL without its query, which may carry what is not to be shown.
std::string without_query(const std::string& url) {
    return url.substr(0, url.find('?'));
}

std::size_t attempt_count(const DlqEntry& entry) {
    const OrderedJson attempts = OrderedJson::parse(entry.attempts_json, nullptr, false);
    return attempts.is_array() ? attempts.size() : 0;
}

OrderedJson summary_json(const DlqEntry& e, const std::string& tenant) {
    OrderedJson row = OrderedJson::object();
    row["tenant_id"] = tenant;
    row["entry_id"] = e.entry_id;
    row["group_id"] = dlq::group_id(e, dlq::GroupBy::kError);
    row["source"] = e.source;
    row["adapter_id"] = e.adapter_id;
    row["connector"] = or_null(e.connector_code);
    row["target_url"] = or_null(without_query(e.target_url));
    row["message_id"] = or_null(e.message_id);
    row["correlation_id"] = or_null(e.correlation_id);
    row["error_code"] = e.error_code;
    row["error_message"] = e.error_message;
    row["attempts"] = attempt_count(e);
    row["first_failed_at"] = e.first_failed_at;
    row["last_failed_at"] = e.last_failed_at;
    row["status"] = to_string(e.status);
    row["replay_count"] = e.replay_count;
    row["updated_at"] = e.updated_at;
    return row;
}

OrderedJson group_json(const dlq::Group& g, dlq::GroupBy by, const std::string& tenant) {
    OrderedJson row = OrderedJson::object();
    row["tenant_id"] = tenant;
    row["group_id"] = g.id;
    row["group_by"] = by == dlq::GroupBy::kError ? "error" : "adapter";
    row["adapter_id"] = g.adapter_id;
    row["error_code"] = or_null(g.error_code);
    row["fingerprint"] = or_null(g.fingerprint);
    row["count"] = g.count;
    row["first_seen"] = g.first_seen;
    row["last_seen"] = g.last_seen;
    row["example"] = g.example;
    row["entry_ids"] = g.entry_ids;
    return row;
}

// The payload as people read it: JSON when it parses, else the text, else
// base64 under a key of its own.
void add_payload(OrderedJson& object, const std::string& payload) {
    if (!is_valid_utf8(payload)) {
        object["payload_base64"] = base64_encode(payload);
        return;
    }
    OrderedJson parsed = OrderedJson::parse(payload, nullptr, false);
    object["payload"] = parsed.is_discarded() ? OrderedJson(payload) : parsed;
}

OrderedJson show_json(const DlqEntry& e, const std::vector<DlqReplay>& replays,
                      const std::string& tenant) {
    OrderedJson entry = summary_json(e, tenant);
    entry["target_url"] = or_null(e.target_url);
    entry["causation_id"] = or_null(e.causation_id);
    entry["lease_owner"] = or_null(e.lease_owner);
    entry["lease_expires_at"] = or_null(e.lease_expires_at);
    entry["headers"] = dlq::public_headers(e.headers_json);
    add_payload(entry, e.payload);
    OrderedJson attempts = OrderedJson::parse(e.attempts_json, nullptr, false);
    OrderedJson history = OrderedJson::array();
    for (const DlqReplay& r : replays) {
        history.push_back({{"at", r.at},
                           {"actor", r.actor},
                           {"mode", r.mode},
                           {"outcome", r.outcome},
                           {"execution_id", or_null(r.execution_id)},
                           {"error", or_null(r.error)}});
    }
    return {{"entry", std::move(entry)},
            {"attempts", attempts.is_array() ? attempts : OrderedJson::array()},
            {"replays", std::move(history)}};
}

std::string text_of(const OrderedJson& value) {
    return escape_control(cell_text(value));
}

// Every line of a block, indented, its control characters escaped.
void print_block(const std::string& text) {
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        std::cout << "  " << escape_control(line) << "\n";
    }
}

void print_show_text(const OrderedJson& shown) {
    const OrderedJson& entry = shown["entry"];
    for (const char* key : {"entry_id", "group_id", "source", "status", "adapter_id", "connector",
                            "target_url", "message_id", "correlation_id", "causation_id",
                            "error_code", "error_message", "first_failed_at", "last_failed_at",
                            "replay_count", "lease_owner", "lease_expires_at", "updated_at"}) {
        std::cout << key << ": " << text_of(entry[key]) << "\n";
    }
    std::cout << "headers:" << (entry["headers"].empty() ? " none" : "") << "\n";
    for (const auto& [name, value] : entry["headers"].items()) {
        std::cout << "  " << escape_control(name) << ": " << text_of(value) << "\n";
    }
    if (entry.contains("payload_base64")) {
        std::cout << "payload (base64):\n";
        print_block(entry["payload_base64"].get<std::string>());
    } else if (entry["payload"].is_string()) {
        std::cout << "payload (text):\n";
        print_block(entry["payload"].get<std::string>());
    } else {
        std::cout << "payload:\n";
        print_block(entry["payload"].dump(2));
    }
    std::cout << "attempts:" << (shown["attempts"].empty() ? " none" : "") << "\n";
    for (const auto& attempt : shown["attempts"]) {
        const OrderedJson status = attempt.value("status", OrderedJson());
        const OrderedJson error = attempt.value("error", OrderedJson());
        std::cout << "  #" << text_of(attempt.value("attempt", OrderedJson())) << "  "
                  << text_of(attempt.value("at", OrderedJson())) << "  "
                  << (status.is_null() ? std::string("no answer") : "HTTP " + text_of(status))
                  << "  " << text_of(attempt.value("duration_ms", OrderedJson())) << " ms"
                  << (error.is_null() || error == "" ? std::string() : "  " + text_of(error))
                  << "\n";
    }
    std::cout << "replays:" << (shown["replays"].empty() ? " none" : "") << "\n";
    for (const auto& replay : shown["replays"]) {
        std::cout << "  " << text_of(replay["at"]) << "  " << text_of(replay["actor"]) << "  "
                  << text_of(replay["mode"]) << "  " << text_of(replay["outcome"]) << "  "
                  << text_of(replay["execution_id"])
                  << (replay["error"].is_null() ? std::string() : "  " + text_of(replay["error"]))
                  << "\n";
    }
}

std::optional<std::chrono::milliseconds> older_than(const std::string& text) {
    if (text.empty()) {
        return std::nullopt;
    }
    return age_option(text, "--older-than");
}

std::string entries(std::size_t n) {
    return std::to_string(n) + (n == 1 ? " entry" : " entries");
}

// Asks on the terminal; true for y or yes.
bool confirmed(const std::string& question) {
    std::cerr << question << " [y/N] " << std::flush;
    std::string answer;
    if (!std::getline(std::cin, answer)) {
        return false;
    }
    answer = to_lower(answer);
    return answer == "y" || answer == "yes";
}

struct HousekeepingFlags {
    DlqFilterOptions filters;
    std::vector<std::string> ids;
    std::string older_than;
    std::string reason;
    bool yes = false;
};

dlq::Housekeeping housekeeping(const HousekeepingFlags& flags) {
    dlq::Housekeeping request;
    request.filter = dlq_filter(flags.filters);
    request.filter.entry_ids = flags.ids;
    request.older_than = older_than(flags.older_than);
    request.reason = flags.reason;
    return request;
}

void add_housekeeping_options(Command& command, HousekeepingFlags& flags) {
    command.positional("ID", flags.ids, "Only these entries");
    add_dlq_filters(command, flags.filters);
    command
        .option("--older-than", flags.older_than,
                "Only entries whose last failure is older than DURATION (12h, 7d)")
        .type_name("DURATION");
    command.option("--reason", flags.reason, "Why, for the audit log").type_name("TEXT");
}

void install_list(Command& group, Context& context) {
    struct ListFlags {
        DlqFilterOptions filters;
        std::string group_by;
        int limit = 0;
    };
    auto flags = std::make_shared<ListFlags>();
    Command list = group.add(
        "list", "List failed entries, the most recent failure first, or their groups",
        [=, &context] {
            Store& store = context.store();
            DlqFilter filter = dlq_filter(flags->filters);
            if (!flags->group_by.empty()) {
                const auto by =
                    flags->group_by == "adapter" ? dlq::GroupBy::kAdapter : dlq::GroupBy::kError;
                RowWriter writer = context.rows(kGroupColumns);
                std::size_t shown = 0;
                for (const dlq::Group& g : dlq::group(store.list_dlq(filter), by)) {
                    if (flags->limit > 0 && shown++ == static_cast<std::size_t>(flags->limit)) {
                        break;
                    }
                    writer.add(group_json(g, by, store.tenant()));
                }
                context.finish_listing(writer);
                return;
            }
            filter.limit = flags->limit;
            const bool text = context.format() == OutputFormat::kText;
            RowWriter writer = context.rows(text ? kTextColumns : kColumns);
            for (const DlqEntry& entry : store.list_dlq(filter)) {
                OrderedJson row = summary_json(entry, store.tenant());
                if (text) {
                    row["where"] = entry.source == "webhook_send" && !entry.target_url.empty()
                                       ? without_query(entry.target_url)
                                       : entry.adapter_id;
                    row["short_message"] = short_line(entry.error_message, kShortMessage);
                }
                writer.add(row);
            }
            context.finish_listing(writer);
        });
    add_dlq_filters(list, flags->filters);
    list.choice("--group-by", flags->group_by, {"error", "adapter"},
                "One line per group of failures: adapter, error code and masked message "
                "(error), or adapter alone");
    list.option("--limit", flags->limit, "At most N entries (or groups)")
        .type_name("N")
        .range(1, 1000000);
}

void install_show(Command& group, Context& context) {
    auto id = std::make_shared<std::string>();
    group
        .add("show",
             "Show one entry: payload, headers (never secrets), ids, every attempt and its "
             "replays",
             [=, &context] {
                 Store& store = context.store();
                 const DlqEntry entry = dlq::find_entry(store, *id);
                 const OrderedJson shown =
                     show_json(entry, store.list_dlq_replays(entry.entry_id), store.tenant());
                 if (context.format() == OutputFormat::kText) {
                     print_show_text(shown);
                 } else {
                     context.print_object(shown);
                 }
             })
        .positional("ID", *id, "Entry id")
        .required()
        .identifier();
}

void install_archive(Command& group, Context& context) {
    auto flags = std::make_shared<HousekeepingFlags>();
    Command archive = group.add(
        "archive", "Archive pending entries: kept, but left out of lists and replays (audited)",
        [=, &context] {
            const auto archived = dlq::archive(context.store(), housekeeping(*flags));
            context.print_result("archived " + entries(archived.size()),
                                 {{"archived", archived.size()}, {"entry_ids", archived}});
        });
    add_housekeeping_options(archive, *flags);
}

void install_purge(Command& group, Context& context) {
    auto flags = std::make_shared<HousekeepingFlags>();
    Command purge = group.add(
        "purge",
        "Delete archived and replayed entries (never pending ones); asks first unless --yes "
        "(audited)",
        [=, &context]() -> ExitCode {
            Store& store = context.store();
            const dlq::Housekeeping request = housekeeping(*flags);
            std::vector<std::string> ids;
            for (const DlqEntry& entry : dlq::purgeable(store, request)) {
                ids.push_back(entry.entry_id);
            }
            if (!ids.empty() && !flags->yes) {
                if (::isatty(STDIN_FILENO) != 1) {
                    throw usage_error("purge would delete " + entries(ids.size()) +
                                      "; add --yes to confirm when stdin is not a terminal");
                }
                if (!confirmed("delete " + entries(ids.size()) + "?")) {
                    std::cerr << "nothing deleted\n";
                    return ExitCode::kNo;
                }
            }
            const auto purged = ids.empty() ? ids : dlq::purge(store, ids, request.reason);
            context.print_result("purged " + entries(purged.size()),
                                 {{"purged", purged.size()}, {"entry_ids", purged}});
            return ExitCode::kSuccess;
        });
    add_housekeeping_options(purge, *flags);
    purge.flag("--yes", flags->yes, "Delete without asking");
}

void install_export(Command& group, Context& context) {
    struct ExportFlags {
        DlqFilterOptions filters;
        std::string to;
    };
    auto flags = std::make_shared<ExportFlags>();
    Command exported =
        group.add("export", "Write entries to an NDJSON file, one entry a line with every field",
                  [=, &context] {
                      const auto report =
                          dlq::export_file(context.store(), dlq_filter(flags->filters), flags->to);
                      context.print_result(
                          "exported " + entries(report.entry_ids.size()) + " to " + flags->to,
                          {{"exported", report.entry_ids.size()}, {"to", flags->to}});
                  });
    add_dlq_filters(exported, flags->filters);
    exported.option("--to", flags->to, "The file to write (replaced whole)")
        .type_name("FILE")
        .required();
}

void install_import(Command& group, Context& context) {
    auto file = std::make_shared<std::string>();
    group
        .add("import",
             "Load an export into this state file; entries already here (by entry id) are left "
             "as they are",
             [=, &context] {
                 const auto report = dlq::import_file(context.store(), *file);
                 context.print_result("imported " + entries(report.imported.size()) + ", " +
                                          std::to_string(report.present.size()) +
                                          " already present",
                                      {{"imported", report.imported.size()},
                                       {"already_present", report.present.size()},
                                       {"entry_ids", report.imported}});
             })
        .positional("FILE", *file, "An export (NDJSON), or - for stdin")
        .required();
}

}  // namespace

void install_dlq(Command group) {
    Context& context = group.context();
    group.footer(kShapes);
    install_list(group, context);
    install_show(group, context);
    install_dlq_replay(group);
    install_archive(group, context);
    install_purge(group, context);
    install_export(group, context);
    install_import(group, context);
}

}  // namespace salesint::cli
