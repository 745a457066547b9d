#include "salesint/domain/inbox.hpp"

#include <charconv>
#include <string_view>

#include "salesint/errors.hpp"
#include "salesint/util/clock.hpp"
#include "salesint/util/files.hpp"
#include "salesint/util/json.hpp"
#include "salesint/util/json_text.hpp"
#include "salesint/util/line_splitter.hpp"
#include "salesint/util/strings.hpp"

namespace salesint::inbox {
namespace {

bool is_blank(std::string_view line) {
    return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

std::string_view without_line_end(std::string_view line) {
    if (!line.empty() && line.back() == '\n') {
        line.remove_suffix(1);
    }
    if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
    }
    return line;
}

// The envelope's meta.message_id, or a usage Error placed at NAME:LINE.
std::string message_id_of(std::string_view line, const std::string& name, std::size_t number) {
    nlohmann::json document = parse_json_text(line, name, number);
    const std::string place = name + ":" + std::to_string(number);
    if (!document.is_object()) {
        throw usage_error(place + ": not an envelope (a JSON object with meta.message_id)");
    }
    auto meta = document.find("meta");
    if (meta == document.end() || !meta->is_object()) {
        throw usage_error(place + ": the envelope has no meta object");
    }
    auto id = meta->find("message_id");
    if (id == meta->end() || !id->is_string() || id->get<std::string>().empty()) {
        throw usage_error(place + ": the envelope has no meta.message_id (a non-empty string)");
    }
    std::string message_id = id->get<std::string>();
    if (auto problem = text_problem(message_id, TextKind::kIdentifier)) {
        throw usage_error(place + ": meta.message_id: " + *problem);
    }
    return message_id;
}

}  // namespace

ConsumeReport consume(Store& store, const std::string& path) {
    const std::string name = display_name(path);
    ConsumeReport report;
    // One transaction: the file loads whole or not at all.
    store.write([&] {
        const std::string received_at = now_rfc3339();
        LineSplitter splitter(
            [&](std::string_view lines, std::size_t first_line) {
                std::size_t number = first_line;
                while (!lines.empty()) {
                    const std::size_t end = lines.find('\n');
                    std::string_view line =
                        end == std::string_view::npos ? lines : lines.substr(0, end + 1);
                    lines.remove_prefix(line.size());
                    ++report.lines;
                    const std::string_view body = without_line_end(line);
                    if (!is_blank(body)) {
                        InboxEntry entry;
                        entry.delivery_id = message_id_of(body, name, number);
                        entry.scheme = kEnvelopeScheme;
                        entry.headers_json = "{}";
                        entry.body = std::string(body);
                        entry.verdict = "valid";
                        entry.received_at = received_at;
                        if (store.insert_inbox(entry)) {
                            ++report.added;
                        } else {
                            ++report.duplicates;
                        }
                    }
                    ++number;
                }
            },
            [&](std::size_t line, std::size_t bytes) {
                throw usage_error(name + ":" + std::to_string(line) + ": a line of " +
                                  std::to_string(bytes) + " bytes or more is longer than " +
                                  std::to_string(kMaxJsonBytes) + " bytes");
            });
        for_each_input_chunk(path, [&](std::string_view chunk) { splitter.feed(chunk); });
        splitter.finish();
    });
    return report;
}

InboxEntry find_delivery(Store& store, const std::string& reference) {
    std::int64_t id = 0;
    const char* end = reference.data() + reference.size();
    auto [stop, error] = std::from_chars(reference.data(), end, id);
    if (!reference.empty() && error == std::errc() && stop == end) {
        if (auto entry = store.find_inbox_by_id(id)) {
            return *entry;
        }
    }
    auto found = store.find_inbox(reference);
    if (found.empty()) {
        throw not_found("no delivery " + escape_control(reference) + " in the inbox of tenant '" +
                        store.tenant() + "'");
    }
    if (found.size() > 1) {
        std::vector<std::string> ids;
        for (const auto& entry : found) {
            ids.push_back(std::to_string(entry.id) + " (" + entry.scheme + ")");
        }
        throw usage_error(
            "delivery id " + escape_control(reference) +
            " is held by several deliveries: name one by its inbox id: " + join(ids, ", "));
    }
    return found.front();
}

}  // namespace salesint::inbox
