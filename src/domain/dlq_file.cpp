#include "salesint/domain/dlq_file.hpp"

#include <string_view>

#include "salesint/domain/dlq.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/clock.hpp"
#include "salesint/util/crypto.hpp"
#include "salesint/util/files.hpp"
#include "salesint/util/json_text.hpp"
#include "salesint/util/line_splitter.hpp"
#include "salesint/util/strings.hpp"

namespace salesint::dlq {
namespace {

OrderedJson or_null(const std::string& text) {
    return text.empty() ? OrderedJson() : OrderedJson(text);
}

// A field of a line: absent or null reads as empty when optional.
std::string text_field(const Json& line, const char* key, TextKind kind, bool required) {
    auto found = line.find(key);
    if (found == line.end() || found->is_null()) {
        if (required) {
            throw usage_error(std::string(key) + ": missing");
        }
        return "";
    }
    if (!found->is_string()) {
        throw usage_error(std::string(key) + ": not a string");
    }
    const std::string text = found->get<std::string>();
    if (required && text.empty()) {
        throw usage_error(std::string(key) + ": empty");
    }
    if (!text.empty()) {
        if (auto problem = text_problem(text, kind)) {
            throw usage_error(std::string(key) + ": " + *problem);
        }
    }
    return text;
}

std::string time_field(const Json& line, const char* key, bool required) {
    const std::string text = text_field(line, key, TextKind::kIdentifier, required);
    if (text.empty()) {
        return text;
    }
    auto instant = parse_rfc3339(text);
    if (!instant) {
        throw usage_error(std::string(key) + ": '" + text + "' is not an RFC 3339 time");
    }
    return format_rfc3339_utc(*instant);
}

std::string payload_of(const Json& line) {
    const bool text = line.contains("payload") && !line["payload"].is_null();
    const bool base64 = line.contains("payload_base64") && !line["payload_base64"].is_null();
    if (text == base64) {
        throw usage_error("payload: give either payload (UTF-8 text) or payload_base64");
    }
    if (text) {
        if (!line["payload"].is_string()) {
            throw usage_error("payload: not a string");
        }
        return line["payload"].get<std::string>();
    }
    if (!line["payload_base64"].is_string()) {
        throw usage_error("payload_base64: not a string");
    }
    auto bytes = base64_decode(line["payload_base64"].get<std::string>());
    if (!bytes) {
        throw usage_error("payload_base64: not base64");
    }
    return *bytes;
}

std::string headers_of(const Json& line) {
    OrderedJson headers = OrderedJson::object();
    auto found = line.find("headers");
    if (found == line.end() || found->is_null()) {
        return headers.dump();
    }
    if (!found->is_object()) {
        throw usage_error("headers: not an object");
    }
    for (const auto& [name, value] : found->items()) {
        if (!value.is_string()) {
            throw usage_error("headers: the value of " + name + " is not a string");
        }
        if (auto problem = text_problem(name, TextKind::kIdentifier)) {
            throw usage_error("headers: a name " + *problem);
        }
        if (auto problem = text_problem(value.get<std::string>(), TextKind::kHeaderValue)) {
            throw usage_error("headers: " + name + ": " + *problem);
        }
        if (!is_secret_header(name)) {
            headers[name] = value;
        }
    }
    return headers.dump();
}

std::string attempts_of(const Json& line) {
    auto found = line.find("attempts");
    if (found == line.end() || found->is_null()) {
        return "[]";
    }
    if (!found->is_array()) {
        throw usage_error("attempts: not an array");
    }
    for (const Json& attempt : *found) {
        if (!attempt.is_object()) {
            throw usage_error("attempts: an attempt is not an object");
        }
    }
    return OrderedJson(*found).dump();
}

}  // namespace

OrderedJson export_json(const DlqEntry& e) {
    OrderedJson line = OrderedJson::object();
    line["entry_id"] = e.entry_id;
    line["source"] = e.source;
    line["adapter_id"] = e.adapter_id;
    line["message_id"] = e.message_id;
    line["correlation_id"] = e.correlation_id;
    line["causation_id"] = e.causation_id;
    line["connector"] = e.connector_code;
    line["target_url"] = e.target_url;
    if (is_valid_utf8(e.payload)) {
        line["payload"] = e.payload;
    } else {
        line["payload_base64"] = base64_encode(e.payload);
    }
    line["headers"] = public_headers(e.headers_json);
    line["error_code"] = e.error_code;
    line["error_message"] = e.error_message;
    OrderedJson attempts = OrderedJson::parse(e.attempts_json, nullptr, false);
    line["attempts"] = attempts.is_array() ? attempts : OrderedJson::array();
    line["first_failed_at"] = e.first_failed_at;
    line["last_failed_at"] = e.last_failed_at;
    line["status"] = to_string(e.status);
    line["replay_count"] = e.replay_count;
    line["lease_owner"] = or_null(e.lease_owner);
    line["lease_expires_at"] = or_null(e.lease_expires_at);
    line["updated_at"] = e.updated_at;
    return line;
}

DlqEntry entry_from_json(const Json& line) {
    if (!line.is_object()) {
        throw usage_error("a DLQ entry is a JSON object");
    }
    DlqEntry e;
    e.entry_id = text_field(line, "entry_id", TextKind::kIdentifier, true);
    e.source = text_field(line, "source", TextKind::kIdentifier, true);
    if (e.source != "execute" && e.source != "webhook_send" && e.source != "outbox" &&
        e.source != "inbox") {
        throw usage_error("source: '" + e.source +
                          "' is none of execute, webhook_send, outbox, inbox");
    }
    e.adapter_id = text_field(line, "adapter_id", TextKind::kIdentifier, false);
    e.message_id = text_field(line, "message_id", TextKind::kIdentifier, false);
    e.correlation_id = text_field(line, "correlation_id", TextKind::kIdentifier, false);
    e.causation_id = text_field(line, "causation_id", TextKind::kIdentifier, false);
    e.connector_code = text_field(line, "connector", TextKind::kIdentifier, false);
    e.target_url = text_field(line, "target_url", TextKind::kIdentifier, false);
    e.payload = payload_of(line);
    e.headers_json = headers_of(line);
    e.error_code = text_field(line, "error_code", TextKind::kIdentifier, false);
    e.error_message = text_field(line, "error_message", TextKind::kMultiline, false);
    e.attempts_json = attempts_of(line);
    e.first_failed_at = time_field(line, "first_failed_at", true);
    e.last_failed_at = time_field(line, "last_failed_at", true);
    if (compare_instants(*parse_rfc3339(e.last_failed_at), *parse_rfc3339(e.first_failed_at)) < 0) {
        throw usage_error("last_failed_at: " + e.last_failed_at + " is before first_failed_at " +
                          e.first_failed_at);
    }
    e.updated_at = time_field(line, "updated_at", false);
    const std::string status = text_field(line, "status", TextKind::kIdentifier, false);
    if (!status.empty()) {
        auto parsed = parse_dlq_status(status);
        if (!parsed) {
            throw usage_error("status: '" + status +
                              "' is none of pending, replaying, replayed, archived");
        }
        // A lease is this state file's own: taken over, it would hold the
        // entry for a replay that does not run here.
        e.status = *parsed == DlqStatus::kReplaying ? DlqStatus::kPending : *parsed;
    }
    if (auto count = line.find("replay_count"); count != line.end() && !count->is_null()) {
        if (!count->is_number_integer() || count->get<long long>() < 0 ||
            count->get<long long>() > 1'000'000'000) {
            throw usage_error("replay_count: not a count");
        }
        e.replay_count = count->get<int>();
    }
    return e;
}

ExportReport export_file(Store& store, DlqFilter filter, const std::string& path) {
    filter.newest_first = false;
    ExportReport report;
    std::string text;
    for (const DlqEntry& entry : store.list_dlq(filter)) {
        text += export_json(entry).dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
        text += '\n';
        report.entry_ids.push_back(entry.entry_id);
    }
    write_file_atomically(path, text);
    return report;
}

ImportReport import_file(Store& store, const std::string& path) {
    const std::string name = display_name(path);
    ImportReport report;
    auto take_lines = [&](std::string_view lines, std::size_t line_number) {
        for (std::size_t start = 0; start < lines.size(); ++line_number) {
            const std::size_t end = std::min(lines.find('\n', start), lines.size());
            const std::string_view line = lines.substr(start, end - start);
            start = end + 1;
            if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
                continue;
            }
            const std::string place = name + ":" + std::to_string(line_number);
            Json json;
            if (auto problem = read_json(line, json)) {
                throw usage_error(describe(*problem, line, name, line_number));
            }
            DlqEntry entry;
            try {
                entry = entry_from_json(json);
            } catch (const Error& e) {
                throw usage_error(place + ": " + e.what());
            }
            if (store.insert_dlq_if_absent(entry)) {
                report.imported.push_back(entry.entry_id);
            } else {
                report.present.push_back(entry.entry_id);
            }
        }
    };
    auto take_overlong = [&](std::size_t line_number, std::size_t bytes) {
        throw usage_error(name + ":" + std::to_string(line_number) + ": the line is " +
                          std::to_string(bytes) + " bytes; at most " +
                          std::to_string(kMaxJsonBytes >> 20) + " MiB are read");
    };
    // One transaction: a bad line rolls back every entry before it.
    store.write([&] {
        LineSplitter splitter(take_lines, take_overlong);
        for_each_input_chunk(path, [&](std::string_view chunk) { splitter.feed(chunk); });
        splitter.finish();
    });
    return report;
}

}  // namespace salesint::dlq
