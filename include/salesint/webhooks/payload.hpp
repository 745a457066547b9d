// A webhook body, byte for byte: bytes in memory, or a file that is read in
// chunks whenever it is hashed. Hashing a 64 MiB file through a small cache-
// warm buffer is a third faster than hashing it whole, mapped or loaded.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace salesint::webhooks {

// A payload that is held in memory (read from stdin, or sent) may be at most
// this large; a file is streamed through HMAC whatever its size.
inline constexpr std::size_t kMaxHeldPayloadBytes = std::size_t{256} << 20;

class Payload {
  public:
    // Bytes the caller keeps alive.
    static Payload view(std::string_view bytes);
    // A path named on the command line: a regular file is streamed, stdin and
    // pipes are read into memory. A usage Error naming the file when unreadable.
    static Payload from_input(const std::string& path);

    std::size_t size() const;
    bool ends_with_newline() const;
    // Calls take(chunk) over the whole payload, in order.
    void for_each_chunk(const std::function<void(std::string_view)>& take) const;
    // The whole payload in memory, read on first use (for --explain's hints).
    std::string_view bytes() const;

  private:
    mutable std::string_view view_;
    mutable std::shared_ptr<std::string> owned_;  // stdin, or a file once bytes() was called
    std::string path_;                            // a regular file to stream, or empty
    std::size_t size_ = 0;
};

}  // namespace salesint::webhooks
