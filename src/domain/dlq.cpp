#include "salesint/domain/dlq.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "salesint/util/crypto.hpp"

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

}  // namespace

std::string fingerprint(const std::string& message) {
    std::string out;
    std::size_t i = 0;
    while (i < message.size()) {
        // A URL runs to the next space or quote.
        if (message.compare(i, 7, "http://") == 0 || message.compare(i, 8, "https://") == 0) {
            while (i < message.size() && message[i] != ' ' && message[i] != '"' &&
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
                out += token;
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

}  // namespace salesint::dlq
