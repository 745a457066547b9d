// HMAC-SHA256, SHA-256, hex, base64 and constant-time comparison, through OpenSSL:
// webhook signatures, content fingerprints and derived ids all use these.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace salesint {

// HMAC-SHA256 fed in pieces, so that no large body is ever concatenated.
class HmacSha256 {
  public:
    explicit HmacSha256(std::string_view key);
    ~HmacSha256();
    HmacSha256(const HmacSha256&) = delete;
    HmacSha256& operator=(const HmacSha256&) = delete;

    void update(std::string_view bytes);
    std::string finish();  // 32 raw bytes

  private:
    struct State;
    State* state_;
};

// HMAC-SHA256 of the concatenated parts, as 32 raw bytes.
std::string hmac_sha256(std::string_view key, std::initializer_list<std::string_view> parts);

// SHA-256 of data as lowercase hex.
std::string sha256_hex(std::string_view data);

std::string to_hex(std::string_view bytes);
std::string base64_encode(std::string_view bytes);
// nullopt unless text is valid standard (RFC 4648) base64.
std::optional<std::string> base64_decode(std::string_view text);

// Compares in time that depends on the lengths only, never on the contents.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace salesint
