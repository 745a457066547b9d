// The file sink (sink.hpp): NDJSON appended to a local file.
#pragma once

#include <sys/types.h>

#include <string>

#include "salesint/delivery/sink.hpp"

namespace salesint::delivery {

class FileSink : public Sink {
  public:
    // Opens path for appending (created 0600); a usage Error naming it when
    // it cannot be.
    FileSink(std::string target, std::string path);
    ~FileSink() override;
    FileSink(const FileSink&) = delete;
    FileSink& operator=(const FileSink&) = delete;

    PublishResult publish(const std::vector<OutboxMessage>& envelopes) override;
    std::string describe() const override { return target_; }
    std::size_t preferred_batch() const override { return 1000; }

  private:
    [[noreturn]] void fail(const char* what, off_t before);

    std::string target_;
    std::string path_;
    int fd_ = -1;
    std::string buffer_;  // reused: one batch's lines
};

}  // namespace salesint::delivery
