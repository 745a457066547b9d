// The HTTP sink (sink.hpp): each envelope, or a JSON array of several, POSTed
// through delivery::send (signed by a webhook scheme or unsigned, transient
// failures retried with backoff, a refusal not retried).
#pragma once

#include <string>

#include "salesint/delivery/sender.hpp"
#include "salesint/delivery/sink.hpp"

namespace salesint::delivery {

class HttpSink : public Sink {
  public:
    HttpSink(std::string url, HttpSinkOptions options);

    PublishResult publish(const std::vector<OutboxMessage>& envelopes) override;
    std::string describe() const override { return url_; }
    std::size_t preferred_batch() const override {
        return static_cast<std::size_t>(options_.batch < 1 ? 1 : options_.batch);
    }

  private:
    SendRequest request_for(std::string payload, std::string delivery_id,
                            std::string correlation_id) const;

    std::string url_;
    HttpSinkOptions options_;
};

}  // namespace salesint::delivery
