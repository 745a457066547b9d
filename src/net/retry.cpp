#include "salesint/net/retry.hpp"

#include <ctime>

#include <algorithm>
#include <random>
#include <string_view>

namespace salesint::net {

bool is_transient(long status, bool timed_out) {
    return status == 0 || timed_out || status == 408 || status == 429 || status >= 500;
}

std::chrono::milliseconds full_jitter(const Backoff& backoff, int retry) {
    static thread_local std::mt19937_64 random{std::random_device{}()};
    const int exponent = std::clamp(retry - 1, 0, 30);
    const long long ceiling =
        std::min<long long>(backoff.cap.count(), backoff.base.count() * (1LL << exponent));
    std::uniform_int_distribution<long long> wait(0, std::max<long long>(ceiling, 0));
    return std::chrono::milliseconds(wait(random));
}

std::optional<std::chrono::milliseconds> parse_retry_after(
    const std::string& value, std::chrono::system_clock::time_point now) {
    using namespace std::chrono;
    constexpr milliseconds kLongest = minutes(15);
    if (value.empty()) {
        return std::nullopt;
    }
    if (value.find_first_not_of("0123456789") == std::string::npos) {
        // Delta-seconds of any length: leading zeros skipped, and anything
        // beyond the cap (however many digits) is the cap.
        const std::size_t first = std::min(value.find_first_not_of('0'), value.size());
        const std::string_view digits = std::string_view(value).substr(first);
        if (digits.size() >= 10) {
            return kLongest;
        }
        return std::min<milliseconds>(seconds(digits.empty() ? 0 : std::stoll(std::string(digits))),
                                      kLongest);
    }
    std::tm date{};  // an RFC 7231 IMF-fixdate: "Wed, 21 Oct 2015 07:28:00 GMT"
    const char* end = ::strptime(value.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &date);
    if (end == nullptr || *end != '\0') {
        return std::nullopt;
    }
    time_t when = ::timegm(&date);
    auto wait = duration_cast<milliseconds>(system_clock::from_time_t(when) - now);
    return std::clamp<milliseconds>(wait, milliseconds(0), kLongest);
}

}  // namespace salesint::net
