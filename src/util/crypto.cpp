#include "salesint/util/crypto.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <memory>
#include <stdexcept>

namespace salesint {
namespace {

struct MacDeleter {
    void operator()(EVP_MAC* mac) const { EVP_MAC_free(mac); }
    void operator()(EVP_MAC_CTX* context) const { EVP_MAC_CTX_free(context); }
};

// Fetched once, on first use: no OpenSSL work at start-up for commands that
// never sign or verify.
EVP_MAC* hmac_algorithm() {
    static std::unique_ptr<EVP_MAC, MacDeleter> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
    if (!mac) {
        throw std::runtime_error("OpenSSL has no HMAC implementation");
    }
    return mac.get();
}

}  // namespace

struct HmacSha256::State {
    std::unique_ptr<EVP_MAC_CTX, MacDeleter> context;
};

HmacSha256::HmacSha256(std::string_view key) : state_(new State{}) {
    state_->context.reset(EVP_MAC_CTX_new(hmac_algorithm()));
    char digest_name[] = "SHA256";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
        OSSL_PARAM_construct_end(),
    };
    // OpenSSL refuses a NULL key pointer even for an empty key.
    static const unsigned char kEmpty = 0;
    const auto* key_bytes =
        key.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(key.data());
    if (!state_->context ||
        EVP_MAC_init(state_->context.get(), key_bytes, key.size(), params) != 1) {
        delete state_;
        throw std::runtime_error("HMAC initialisation failed");
    }
}

HmacSha256::~HmacSha256() {
    delete state_;
}

void HmacSha256::update(std::string_view bytes) {
    if (EVP_MAC_update(state_->context.get(), reinterpret_cast<const unsigned char*>(bytes.data()),
                       bytes.size()) != 1) {
        throw std::runtime_error("HMAC update failed");
    }
}

std::string HmacSha256::finish() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    std::size_t length = 0;
    if (EVP_MAC_final(state_->context.get(), digest, &length, sizeof digest) != 1) {
        throw std::runtime_error("HMAC final failed");
    }
    return std::string(reinterpret_cast<const char*>(digest), length);
}

std::string hmac_sha256(std::string_view key, std::initializer_list<std::string_view> parts) {
    HmacSha256 mac(key);
    for (std::string_view part : parts) {
        mac.update(part);
    }
    return mac.finish();
}

std::string sha256_hex(std::string_view data) {
    // Fetched once: OpenSSL 3 looks the algorithm up on every EVP_sha256()
    // digest otherwise, which cost more than hashing a 1 KiB order.
    static EVP_MD* const kSha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    // One context per thread, reused (batch inputs are hashed on two threads).
    thread_local std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                                 &EVP_MD_CTX_free);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (kSha256 == nullptr || !context ||
        EVP_DigestInit_ex2(context.get(), kSha256, nullptr) != 1 ||
        EVP_DigestUpdate(context.get(), data.data(), data.size()) != 1 ||
        EVP_DigestFinal_ex(context.get(), digest, &length) != 1) {
        throw std::runtime_error("SHA-256 failed");
    }
    return to_hex(std::string_view(reinterpret_cast<const char*>(digest), length));
}

std::string to_hex(std::string_view bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(bytes.size() * 2);
    for (unsigned char byte : bytes) {
        hex += kDigits[byte >> 4];
        hex += kDigits[byte & 0x0f];
    }
    return hex;
}

std::string base64_encode(std::string_view bytes) {
    std::string text(4 * ((bytes.size() + 2) / 3), '\0');
    int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()),
                                  static_cast<int>(bytes.size()));
    text.resize(static_cast<std::size_t>(written));
    return text;
}

std::optional<std::string> base64_decode(std::string_view text) {
    if (text.size() % 4 != 0) {
        return std::nullopt;
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        bool alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '+' || c == '/';
        bool padding = c == '=' && i >= text.size() - 2 &&
                       (i == text.size() - 1 || text[text.size() - 1] == '=');
        if (!alphabet && !padding) {
            return std::nullopt;
        }
    }
    std::string bytes(3 * text.size() / 4, '\0');
    int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(bytes.data()),
                                  reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    if (written < 0) {
        return std::nullopt;
    }
    // EVP_DecodeBlock counts padding as zero bytes; drop them.
    std::size_t padding = 0;
    for (std::size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) {
        ++padding;
    }
    bytes.resize(static_cast<std::size_t>(written) - padding);
    return bytes;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace salesint
