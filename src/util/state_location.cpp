#include "salesint/util/state_location.hpp"

namespace salesint {

bool is_database_url(std::string_view state) {
    return state.rfind("postgresql://", 0) == 0 || state.rfind("postgres://", 0) == 0;
}

std::string printable_state(const std::string& state) {
    if (!is_database_url(state)) {
        return state;
    }
    std::string url = state;
    const std::size_t authority = url.find("://") + 3;
    const std::size_t authority_end = url.find_first_of("/?", authority);
    const std::size_t at =
        url.rfind('@', authority_end == std::string::npos ? url.size() : authority_end);
    if (at != std::string::npos && at >= authority) {
        const std::size_t colon = url.find(':', authority);
        if (colon != std::string::npos && colon < at) {
            url.erase(colon, at - colon);
        }
    }
    const std::size_t query = url.find('?');
    if (query == std::string::npos) {
        return url;
    }
    std::string kept;
    std::size_t start = query + 1;
    while (start <= url.size()) {
        std::size_t end = url.find('&', start);
        if (end == std::string::npos) {
            end = url.size();
        }
        const std::string parameter = url.substr(start, end - start);
        if (!parameter.empty() && parameter.rfind("password=", 0) != 0) {
            kept += (kept.empty() ? "" : "&") + parameter;
        }
        start = end + 1;
    }
    return url.substr(0, query) + (kept.empty() ? "" : "?" + kept);
}

}  // namespace salesint
