#include "salesint/domain/dlq.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "salesint/domain/audit.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/clock.hpp"
#include "salesint/util/crypto.hpp"
#include "salesint/util/strings.hpp"

namespace salesint::dlq {
namespace {

bool is_hex(char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}
bool is_word(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
}

// A token of letters and digits that looks generated rather than written:
// a UUID, 8+ hex digits, or 16+ characters mixing letters and digits.
bool looks_like_id(const std::string& token) {
    bool has_digit = std::any_of(token.begin(), token.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
    });
    if (!has_digit) {
        return false;
    }
    std::string compact;
    for (char c : token) {
        if (c != '-') {
            compact += c;
        }
    }
    if (compact.size() >= 8 && std::all_of(compact.begin(), compact.end(), is_hex)) {
        return true;
    }
    return token.size() >= 16;
}

// "PX-TEST-001" -> "PX-TEST-<n>", "1500ms" -> "<n>ms": a number inside a
// word changes from one failure to the next as much as one on its own.
std::string mask_digit_runs(const std::string& token) {
    std::string out;
    for (std::size_t i = 0; i < token.size();) {
        if (std::isdigit(static_cast<unsigned char>(token[i])) != 0) {
            while (i < token.size() && std::isdigit(static_cast<unsigned char>(token[i])) != 0) {
                ++i;
            }
            out += "<n>";
        } else {
            out += token[i++];
        }
    }
    return out;
}

}  // namespace

std::string fingerprint(const std::string& message) {
    std::string out;
    std::size_t i = 0;
    while (i < message.size()) {
        // A URL runs to the next space or quote.
        if (message.compare(i, 7, "http://") == 0 || message.compare(i, 8, "https://") == 0) {
            while (i < message.size() &&
                   std::isspace(static_cast<unsigned char>(message[i])) == 0 && message[i] != '"' &&
                   message[i] != '\'') {
                ++i;
            }
            out += "<url>";
            continue;
        }
        if (is_word(message[i])) {
            std::size_t end = i;
            while (end < message.size() && is_word(message[end])) {
                ++end;
            }
            std::string token = message.substr(i, end - i);
            i = end;
            if (std::all_of(token.begin(), token.end(),
                            [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
                out += "<n>";
            } else if (looks_like_id(token)) {
                out += "<id>";
            } else {
                out += mask_digit_runs(token);
            }
            continue;
        }
        out += message[i++];
    }
    return out;
}

namespace {

std::string group_key(const DlqEntry& entry, GroupBy by) {
    if (by == GroupBy::kAdapter) {
        return "adapter\n" + entry.adapter_id;
    }
    return "error\n" + entry.adapter_id + "\n" + entry.error_code + "\n" +
           fingerprint(entry.error_message);
}

}  // namespace

std::string group_id(const DlqEntry& entry, GroupBy by) {
    return "g_" + sha256_hex(group_key(entry, by)).substr(0, 12);
}

std::vector<Group> group(const std::vector<DlqEntry>& entries, GroupBy by) {
    std::map<std::string, Group> groups;
    for (const DlqEntry& entry : entries) {
        Group& g = groups[group_key(entry, by)];
        if (g.count == 0) {
            g.id = group_id(entry, by);
            g.adapter_id = entry.adapter_id;
            if (by == GroupBy::kError) {
                g.error_code = entry.error_code;
                g.fingerprint = fingerprint(entry.error_message);
            }
            g.first_seen = entry.first_failed_at;
        }
        ++g.count;
        g.first_seen = std::min(g.first_seen, entry.first_failed_at);
        if (entry.last_failed_at >= g.last_seen) {
            g.last_seen = entry.last_failed_at;
            g.example = entry.error_message;
        }
        g.entry_ids.push_back(entry.entry_id);
    }
    std::vector<Group> sorted;
    for (auto& [key, g] : groups) {
        sorted.push_back(std::move(g));
    }
    std::stable_sort(sorted.begin(), sorted.end(), [](const Group& a, const Group& b) {
        return a.count != b.count ? a.count > b.count : a.last_seen > b.last_seen;
    });
    return sorted;
}

DlqEntry find_entry(Store& store, const std::string& entry_id) {
    auto entry = store.find_dlq(entry_id);
    if (!entry) {
        throw not_found("no DLQ entry " + entry_id + " in tenant '" + store.tenant() + "'");
    }
    return *entry;
}

bool is_secret_header(std::string_view name) {
    const std::string lower = to_lower(name);
    static const char* const kExact[] = {"authorization", "proxy-authorization", "cookie",
                                         "set-cookie",    "x-api-key",           "api-key",
                                         "apikey",        "x-auth-token"};
    for (const char* exact : kExact) {
        if (lower == exact) {
            return true;
        }
    }
    // webhook-signature, X-Hub-Signature-256, Stripe-Signature, X-Client-Secret, ...
    static const char* const kParts[] = {"signature", "secret", "token", "password", "credential"};
    for (const char* part : kParts) {
        if (lower.find(part) != std::string::npos) {
            return true;
        }
    }
    return false;
}

OrderedJson public_headers(const std::string& headers_json) {
    OrderedJson headers = OrderedJson::parse(headers_json, nullptr, false);
    OrderedJson shown = OrderedJson::object();
    if (!headers.is_object()) {
        return shown;
    }
    for (const auto& [name, value] : headers.items()) {
        if (!is_secret_header(name)) {
            shown[name] = value;
        }
    }
    return shown;
}

bool may_archive(const DlqEntry& entry) {
    return entry.status == DlqStatus::kPending;
}

bool may_purge(const DlqEntry& entry) {
    return entry.status == DlqStatus::kArchived || entry.status == DlqStatus::kReplayed;
}

namespace {

constexpr const char* kArchiveAction = "dlq.archive";
constexpr const char* kPurgeAction = "dlq.purge";

// The filter with its last-failure bound moved back to now - older_than.
DlqFilter with_older_than(DlqFilter filter,
                          const std::optional<std::chrono::milliseconds>& older_than) {
    if (!older_than) {
        return filter;
    }
    Instant cutoff = *parse_rfc3339(now_rfc3339());
    cutoff.epoch_seconds -= std::chrono::duration_cast<std::chrono::seconds>(*older_than).count();
    const std::string bound = format_rfc3339_utc(cutoff);
    if (filter.until.empty() || bound < filter.until) {
        filter.until = bound;
    }
    return filter;
}

// The named entries must exist, and be ones the operation applies to.
void check_named(Store& store, const std::vector<std::string>& entry_ids,
                 bool (*applies)(const DlqEntry&), const std::string& what) {
    for (const std::string& id : entry_ids) {
        const DlqEntry entry = find_entry(store, id);
        if (!applies(entry)) {
            throw refused("DLQ entry " + id + " is " + to_string(entry.status) + ": " + what);
        }
    }
}

// Selects with every status the operation applies to, newest first.
std::vector<DlqEntry> select(Store& store, DlqFilter filter,
                             const std::vector<DlqStatus>& statuses) {
    std::vector<DlqEntry> selected;
    for (DlqStatus status : statuses) {
        filter.status = status;
        for (DlqEntry& entry : store.list_dlq(filter)) {
            selected.push_back(std::move(entry));
        }
    }
    std::stable_sort(selected.begin(), selected.end(), [](const DlqEntry& a, const DlqEntry& b) {
        return a.last_failed_at > b.last_failed_at;
    });
    return selected;
}

// The audit subject: the ids themselves when few, else how many.
std::string subject_of(const std::vector<std::string>& ids) {
    return ids.size() <= 10 ? join(ids, ",") : std::to_string(ids.size()) + " entries";
}

}  // namespace

std::vector<std::string> archive(Store& store, const Housekeeping& request) {
    constexpr const char* kWhat = "only pending entries are archived";
    if (request.filter.status && *request.filter.status != DlqStatus::kPending) {
        throw refused(std::string("status ") + to_string(*request.filter.status) + ": " + kWhat)
            .with_field("status");
    }
    require_text("reason", request.reason, TextKind::kOneLine);
    std::vector<std::string> archived;
    store.write([&] {
        // Read inside the transaction, so that no replay takes an entry
        // between the look and the update.
        check_named(store, request.filter.entry_ids, may_archive, kWhat);
        const std::string now = now_rfc3339();
        for (const DlqEntry& entry :
             select(store, with_older_than(request.filter, request.older_than),
                    {DlqStatus::kPending})) {
            store.set_dlq_status(entry.entry_id, DlqStatus::kArchived, now);
            archived.push_back(entry.entry_id);
        }
        if (!archived.empty()) {
            audit::record(store, kArchiveAction, subject_of(archived), std::string("pending"),
                          std::string("archived"), request.reason);
        }
    });
    return archived;
}

std::vector<DlqEntry> purgeable(Store& store, const Housekeeping& request) {
    constexpr const char* kWhat = "only archived or replayed entries are purged";
    std::vector<DlqStatus> statuses{DlqStatus::kArchived, DlqStatus::kReplayed};
    if (request.filter.status) {
        DlqEntry probe;
        probe.status = *request.filter.status;
        if (!may_purge(probe)) {
            throw refused(std::string("status ") + to_string(probe.status) + ": " + kWhat)
                .with_field("status");
        }
        statuses = {probe.status};
    }
    check_named(store, request.filter.entry_ids, may_purge, kWhat);
    return select(store, with_older_than(request.filter, request.older_than), statuses);
}

std::vector<std::string> purge(Store& store, const std::vector<std::string>& entry_ids,
                               const std::string& reason) {
    require_text("reason", reason, TextKind::kOneLine);
    std::vector<std::string> purged;
    store.write([&] {
        for (const std::string& id : entry_ids) {
            // Looked at again: a replay may have taken it back meanwhile.
            auto entry = store.find_dlq(id);
            if (entry && may_purge(*entry) && store.delete_dlq(id)) {
                purged.push_back(id);
            }
        }
        if (!purged.empty()) {
            audit::record(store, kPurgeAction, subject_of(purged),
                          std::string("archived or replayed"), std::nullopt, reason);
        }
    });
    return purged;
}

}  // namespace salesint::dlq
