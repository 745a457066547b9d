#include "identity.hpp"

#include "salesint/util/crypto.hpp"

namespace salesint::execute {

std::string derived_uuid(std::string_view name) {
    std::string hex = sha256_hex(name).substr(0, 32);
    hex[12] = '8';                                                                // version 8
    hex[16] = "89ab"[(hex[16] <= '9' ? hex[16] - '0' : hex[16] - 'a' + 10) & 3];  // variant
    return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' +
           hex.substr(16, 4) + '-' + hex.substr(20, 12);
}

std::string identity_of(const std::string& message_id, ExecutionMode mode) {
    return mode == ExecutionMode::kLive ? message_id + "\nlive" : message_id;
}

std::string derived_digits(std::string_view name, std::size_t digits) {
    const std::string hex = sha256_hex(name);
    std::string out;
    for (std::size_t i = 0; out.size() < digits && i < hex.size(); ++i) {
        const int nibble = hex[i] <= '9' ? hex[i] - '0' : hex[i] - 'a' + 10;
        out += static_cast<char>('0' + nibble % 10);
    }
    return out;
}

}  // namespace salesint::execute
